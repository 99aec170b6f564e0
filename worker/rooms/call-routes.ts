import { createRoute } from "@hono/zod-openapi";
import { database } from "../db/client";
import { bearerSecurity, errorResponses } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { asMember, roomAccess, roomObject } from "./access";
import { RoomParams } from "./schemas";

// Declining a call that rings you. The ring reaches you on your own channel, where you may have no
// socket to the room at all (a phone on the room list), so the answer "no" is a plain REST call
// from whichever device you are on; answering "yes" is joining, on the room's socket.

const declineCall = createRoute({
  method: "post",
  path: "/{roomId}/call/decline",
  operationId: "declineCall",
  tags: ["Calls"],
  security: bearerSecurity,
  summary: "Decline the call that rings you in a direct room",
  description: `The ringing stops on every device of both people (\`call_ringing_stopped\` with reason
\`declined\` on their channels), the call ends for the caller, and the room posts the \`kind: "call"\`
message. Idempotent: when nothing rings you in this room (already answered, declined, missed or
cancelled), nothing happens and the answer is still 204.`,
  request: { params: RoomParams },
  responses: {
    204: { description: "Declined (or nothing was ringing)." },
    ...errorResponses(401, 403, 404),
  },
});

export const callRoutes = signedInRoutes().openapi(declineCall, async (c) => {
  const caller = asMember(await roomAccess(database(c.env.DB), c.req.valid("param").roomId, c.var.user.id));
  await roomObject(c.env, caller.roomId).declineCall(caller);
  return c.body(null, 204);
});
