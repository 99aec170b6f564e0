import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { limit } from "../limits/limit";
import { roomObject, unwrap } from "./access";
import {
  EditMessageBody,
  HistoryQuery,
  HistorySchema,
  MessageDoc,
  MessageParams,
  PageAroundSchema,
  ReadBody,
  RoomParams,
  SendMessageBody,
} from "./schemas";

// Messages over REST. Each route checks membership in D1, then calls the very same room method a
// WebSocket frame reaches, so curl and the browser can never disagree.

const tags = ["Messages"];
const security = bearerSecurity;

const history = createRoute({
  method: "get",
  path: "/{roomId}/messages",
  operationId: "listMessages",
  tags,
  security,
  summary: "A page of history, in ascending seq",
  description: `No cursor: the newest page. \`before\`: older messages. \`after\`: newer ones. \`limit\` 1–100 (50).
Pages hold the main timeline (thread replies left out); \`thread=N\`: the replies of thread N instead.
\`around=N\`: a page centred on message N, answered with \`hasMoreBefore\` and \`hasMoreAfter\`.`,
  request: { params: RoomParams, query: HistoryQuery },
  responses: {
    200: jsonResponse(z.union([HistorySchema, PageAroundSchema]), "Messages and whether more exist."),
    ...errorResponses(400, 401, 403, 404),
  },
});

const send = createRoute({
  method: "post",
  path: "/{roomId}/messages",
  operationId: "sendMessage",
  tags,
  security,
  summary: "Send a message",
  description:
    "Stored, then broadcast to the room. Sending a `clientId` you used before in this room returns the first message (200), whatever the body.",
  request: { params: RoomParams, ...jsonBody(SendMessageBody) },
  responses: {
    201: jsonResponse(MessageDoc, "Stored and broadcast."),
    200: jsonResponse(MessageDoc, "Already stored under this clientId: the first message."),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429),
  },
});

const edit = createRoute({
  method: "patch",
  path: "/{roomId}/messages/{seq}",
  operationId: "editMessage",
  middleware: [limit("edit")],
  tags,
  security,
  summary: "Edit your message",
  description:
    "At most 60 edits per minute per person, shared with message deletes, profile and room edits (RATE_EDIT_PER_USER; 429 beyond).",
  request: { params: MessageParams, ...jsonBody(EditMessageBody) },
  responses: {
    200: jsonResponse(MessageDoc, "The edited message."),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/{roomId}/messages/{seq}",
  operationId: "deleteMessage",
  middleware: [limit("edit")],
  tags,
  security,
  summary: "Delete a message (its author, an owner or an admin)",
  description: "It keeps its seq, with an empty body and deletedAt set.",
  request: { params: MessageParams },
  responses: {
    200: jsonResponse(MessageDoc, "The deleted message (a tombstone)."),
    ...errorResponses(401, 403, 404, 429),
  },
});

const read = createRoute({
  method: "post",
  path: "/{roomId}/read",
  operationId: "markRead",
  tags,
  security,
  summary: "Move your read marker",
  description: "It only moves forward, and never past the room's last message.",
  request: { params: RoomParams, ...jsonBody(ReadBody) },
  responses: { 204: { description: "Recorded." }, ...errorResponses(400, 401, 403, 404, 413, 415) },
});

/**
 * The caller as the room will judge them: the room knows its members, so these calls, the ones a
 * busy room gets most, cost no D1 query (the room answers 404 for a private room's outsider and
 * 403 for a public room's, as roomAccess would).
 */
function memberCall(c: { env: Env; var: { user: { id: string } } }, roomId: string) {
  return { caller: { roomId, userId: c.var.user.id }, room: roomObject(c.env, roomId) };
}

export const messageRoutes = signedInRoutes()
  .openapi(history, async (c) => {
    const { caller, room } = memberCall(c, c.req.valid("param").roomId);
    const { around, ...query } = c.req.valid("query");
    const asked = performance.now();
    const page =
      around !== undefined
        ? unwrap(await room.historyAround(caller, around, query.limit))
        : unwrap(await room.history(caller, query));
    // The room's part of the answer (its call, as the Worker waits for it): `npm run bench` reads it.
    c.header("Server-Timing", `room;dur=${(performance.now() - asked).toFixed(1)};desc="the room's call"`);
    return c.json(page, 200);
  })
  .openapi(send, async (c) => {
    const { caller, room } = memberCall(c, c.req.valid("param").roomId);
    const { body, clientId, threadSeq, replyTo, attachmentIds } = c.req.valid("json");
    const draft = { body, clientId: clientId ?? null, threadSeq, replyTo, attachmentIds };
    const { message, created } = unwrap(await room.sendMessage(caller, draft));
    return created ? c.json(message, 201) : c.json(message, 200);
  })
  .openapi(edit, async (c) => {
    const { roomId, seq } = c.req.valid("param");
    const { caller, room } = memberCall(c, roomId);
    return c.json(unwrap(await room.editMessage(caller, seq, c.req.valid("json").body)), 200);
  })
  .openapi(remove, async (c) => {
    const { roomId, seq } = c.req.valid("param");
    const { caller, room } = memberCall(c, roomId);
    return c.json(unwrap(await room.deleteMessage(caller, seq)), 200);
  })
  .openapi(read, async (c) => {
    const { caller, room } = memberCall(c, c.req.valid("param").roomId);
    unwrap(await room.markRead(caller, c.req.valid("json").seq));
    return c.body(null, 204);
  });
