import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { database } from "../db/client";
import { memberships } from "../db/schema";
import { forbidden } from "../http/errors";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { Emoji } from "../protocol/frames";
import { pushRoomSummaries } from "../room-list/live";
import { asMember, roomAccess, roomObject, unwrap } from "./access";
import { MessageDoc, MessageParams, RoomParams } from "./schemas";

// The conversation around messages (API.md "Messages, extended"): reactions, pins, and each
// member's notification level. Each call lands in the room, which is also where the socket's
// `react` frame lands, so curl and the browser cannot disagree.

const tags = ["Messages"];
const security = bearerSecurity;

const ReactionParams = MessageParams.extend({
  emoji: Emoji.openapi({
    param: { name: "emoji", in: "path" },
    description: "One emoji, URL-encoded.",
    example: "👍",
  }),
});
const PinParams = RoomParams.extend({
  seq: z.coerce
    .number()
    .int("must be a whole number")
    .positive("must be 1 or more")
    .openapi({ param: { name: "seq", in: "path" }, example: 42 }),
});
const NotifyBody = z
  .object({ level: z.enum(["all", "mentions", "none"], "must be all, mentions or none") })
  .openapi("NotificationLevel", { example: { level: "mentions" } });
const PinListSchema = z.object({ messages: MessageDoc.array() }).openapi("PinnedMessages", {
  example: { messages: [] },
});

const addReaction = createRoute({
  method: "put",
  path: "/{roomId}/messages/{seq}/reactions/{emoji}",
  operationId: "addReaction",
  tags,
  security,
  summary: "React to a message (idempotent)",
  description: `At most 20 different emoji per message (the 21st: 400); one reaction per person per emoji.
Each person may add or take back 5 reactions a second in a room, in bursts of 20, shared with their
\`react\` frames (REACTION_RATE_PER_SEC, REACTION_BURST; 429 beyond).`,
  request: { params: ReactionParams },
  responses: {
    204: { description: "Added (or already there)." },
    ...errorResponses(400, 401, 403, 404, 409, 429),
  },
});

const removeReaction = createRoute({
  method: "delete",
  path: "/{roomId}/messages/{seq}/reactions/{emoji}",
  operationId: "removeReaction",
  tags,
  security,
  summary: "Take your reaction back (idempotent)",
  description: "Counts against the same reaction limit as adding one (429 beyond).",
  request: { params: ReactionParams },
  responses: {
    204: { description: "Removed (or was not there)." },
    ...errorResponses(400, 401, 403, 404, 409, 429),
  },
});

const pin = createRoute({
  method: "put",
  path: "/{roomId}/pins/{seq}",
  operationId: "pinMessage",
  tags,
  security,
  summary: "Pin a message (owners and admins; anyone in a direct room)",
  request: { params: PinParams },
  responses: { 204: { description: "Pinned." }, ...errorResponses(401, 403, 404, 409) },
});

const unpin = createRoute({
  method: "delete",
  path: "/{roomId}/pins/{seq}",
  operationId: "unpinMessage",
  tags,
  security,
  summary: "Unpin a message (owners and admins; anyone in a direct room)",
  request: { params: PinParams },
  responses: { 204: { description: "Unpinned." }, ...errorResponses(401, 403, 404) },
});

const listPins = createRoute({
  method: "get",
  path: "/{roomId}/pins",
  operationId: "listPins",
  tags,
  security,
  summary: "The room's pinned messages, newest pin first",
  request: { params: RoomParams },
  responses: { 200: jsonResponse(PinListSchema, "Pinned messages."), ...errorResponses(401, 403, 404) },
});

const setNotifications = createRoute({
  method: "put",
  path: "/{roomId}/notifications",
  operationId: "setNotificationLevel",
  tags: ["Rooms"],
  security,
  summary: "What you are notified of in this room: all, mentions or none",
  description: "Per member, `all` by default. Shown as `notify` on your room-list item.",
  request: { params: RoomParams, ...jsonBody(NotifyBody) },
  responses: { 204: { description: "Set." }, ...errorResponses(400, 401, 403, 404, 413, 415) },
});

async function member(c: { env: Env; var: { user: { id: string } } }, roomId: string) {
  const access = await roomAccess(database(c.env.DB), roomId, c.var.user.id);
  return { access, caller: asMember(access), room: roomObject(c.env, roomId) };
}

async function pinner(c: { env: Env; var: { user: { id: string } } }, roomId: string) {
  const found = await member(c, roomId);
  if (found.access.room.kind !== "direct" && found.caller.role === "member")
    throw forbidden("Only owners and admins can pin messages in this room.");
  return found;
}

export const conversationRoutes = signedInRoutes()
  .openapi(addReaction, async (c) => {
    const { roomId, seq, emoji } = c.req.valid("param");
    const { caller, room } = await member(c, roomId);
    unwrap(await room.react(caller, seq, emoji, true));
    return c.body(null, 204);
  })
  .openapi(removeReaction, async (c) => {
    const { roomId, seq, emoji } = c.req.valid("param");
    const { caller, room } = await member(c, roomId);
    unwrap(await room.react(caller, seq, emoji, false));
    return c.body(null, 204);
  })
  .openapi(pin, async (c) => {
    const { roomId, seq } = c.req.valid("param");
    const { caller, room } = await pinner(c, roomId);
    unwrap(await room.pin(caller, seq, true));
    return c.body(null, 204);
  })
  .openapi(unpin, async (c) => {
    const { roomId, seq } = c.req.valid("param");
    const { caller, room } = await pinner(c, roomId);
    unwrap(await room.pin(caller, seq, false));
    return c.body(null, 204);
  })
  .openapi(listPins, async (c) => {
    const { caller, room } = await member(c, c.req.valid("param").roomId);
    return c.json({ messages: await room.pinned(caller) }, 200);
  })
  .openapi(setNotifications, async (c) => {
    const { roomId } = c.req.valid("param");
    const { caller, room } = await member(c, roomId);
    const { level } = c.req.valid("json");
    await database(c.env.DB)
      .update(memberships)
      .set({ notifyLevel: level })
      .where(and(eq(memberships.roomId, roomId), eq(memberships.userId, caller.userId)));
    await room.setNotify(caller, level);
    await pushRoomSummaries(c.env, roomId, "room_updated", [caller.userId]);
    return c.body(null, 204);
  });
