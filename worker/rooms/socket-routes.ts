import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { bearerToken } from "../auth/middleware";
import { assertSessionLive } from "../auth/session-check";
import { redeemTicket } from "../auth/tickets";
import { type AccessClaims, verifyAccessToken } from "../auth/tokens";
import { database } from "../db/client";
import { ApiError, forbidden, invalidRequest, notFound, unauthorized } from "../http/errors";
import { errorResponses, socketSecurity } from "../http/openapi";
import { openRoutes } from "../http/routers";
import { socketOriginAllowed } from "../http/security";
import { userChannel } from "../user-channel/client";
import { asMember, roomAccess, roomObject } from "./access";
import { RoomParams, SocketQuery } from "./schemas";

// WebSocket upgrades. The Worker authenticates (a one-time ?ticket= from POST /api/auth/ticket, the
// way pages connect, or the access token in ?token=, for wscat: browsers cannot set headers on a
// WebSocket) and authorizes against D1 *before* the upgrade, so a bad credential is a plain 401 and
// an outsider a 404. Then it hands the socket to the Durable Object in a request it builds itself:
// nothing from the client's request but the verified identity and the resume cursor reaches it.

const tags = ["Real time"];

const protocolDescription = `Frames are JSON text with a \`type\`.
Server → client: \`welcome\` {roomId, userId, lastSeq, online, receipts} first; then \`message\` {message},
\`message_updated\` {message}, \`typing\` {userId, typing}, \`presence\` {userId, online},
\`receipt\` {userId, deliveredSeq, readSeq}, \`error\` {code, message, clientId?}, \`pong\`.
Client → server: \`message\` {body, clientId}, \`typing\` {typing}, \`read\` {seq}, \`ping\`.
With \`since=N\` the room first sends every message after N, in order, then live frames: no gap, no duplicate.
Frames over 16 KiB, bodies over 4,000 characters, bad JSON and unknown types get an \`error\` frame; the socket stays open.
Each person may send 10 messages/s to a room with bursts of 20, shared by REST and all of their sockets, and 5 reactions/s with bursts of 20
(\`rate_limited\` error frame beyond; nothing is stored). Typing frames are relayed at most once every 2 s per person.
Close codes: 4001 your session ended or the access token that opened the socket expired (reconnect with a fresh one and since=),
4003 you were removed from (or left) the room, 4004 the room was deleted.
Calls (WebRTC, signalled here): \`welcome\` also carries this socket's \`connectionId\` and \`call\` {participants}.
Client → server: \`call_join\` {audio, video}, \`call_update\` {audio, video, screen}, \`call_leave\`,
\`call_signal\` {toConnectionId, signal} where signal is {sdp: {type, sdp}} or {candidate: {candidate, sdpMid, sdpMLineIndex}}.
Server → client: \`call_state\` {participants: [{userId, connectionId, audio, video, screen, joinedAt}]} to every socket
after each change (empty: no call); \`call_signal\` {fromConnectionId, fromUserId, signal}, relayed as sent and only
from one participant of the call to the one it addresses. A call holds at most MAX_CALL_PARTICIPANTS (6) connections
(\`call_full\` error frame beyond); signals are at most 16 KiB and rate-limited per connection (\`rate_limited\`);
joining from a second device moves your seat there; a socket that closes leaves the call at once. When the last
participant leaves, the room posts a \`kind: "call"\` message {call: {startedAt, endedAt, durationSec, participantIds}}.`;

const roomSocket = createRoute({
  method: "get",
  path: "/rooms/{roomId}/ws",
  operationId: "openRoomSocket",
  tags,
  security: socketSecurity,
  summary: "Open a WebSocket to one room",
  description: protocolDescription,
  request: { params: RoomParams, query: SocketQuery },
  responses: {
    101: { description: "Switching protocols: the socket is open." },
    ...errorResponses(400, 401, 403, 404, 429),
  },
});

const userSocket = createRoute({
  method: "get",
  path: "/ws",
  operationId: "openUserChannel",
  tags,
  security: socketSecurity,
  summary: "Open your own channel: live room list and online status",
  description: `Server → client: \`room_updated\` {room} (after new messages or reads, at most about once a second per room),
\`room_added\` {room}, \`room_removed\` {roomId}; \`room\` has the shape of an item of GET /api/rooms.
You count as online while any of your sockets is open.
Calls in direct rooms: \`call_ringing\` {roomId, fromUserId} on every device of the person called;
\`call_ringing_stopped\` {roomId, reason: "answered" | "declined" | "missed" | "cancelled"} on every device of both
(missed after 30 s); \`call_ended\` {roomId} when a call you took part in or were rung for is over.
Accept by joining on the room's socket (\`call_join\`); decline with POST /api/rooms/{roomId}/call/decline.`,
  request: {
    query: z.object({
      token: SocketQuery.shape.token,
      ticket: SocketQuery.shape.ticket,
      batch: SocketQuery.shape.batch,
    }),
  },
  responses: { 101: { description: "Switching protocols." }, ...errorResponses(400, 401, 403, 429) },
});

/**
 * Who opens this socket: checked before the upgrade, so a refusal is a plain HTTP answer. A ticket
 * stands for the session and expiry of the access token that asked for it; a token's session is
 * checked against D1 unless this isolate did so in the last 5 s (the socket outlives this request).
 */
async function socketCaller(
  c: Context<AppEnv>,
  credentials: { token?: string; ticket?: string },
): Promise<AccessClaims> {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw invalidRequest("This endpoint upgrades to a WebSocket: send Upgrade: websocket.");
  }
  if (!socketOriginAllowed(c.req.url, c.req.header("Origin"), c.env.CORS_ORIGINS)) {
    throw forbidden("Sockets may be opened from this app's own pages only.");
  }
  if (credentials.ticket !== undefined) {
    const claims = await redeemTicket(database(c.env.DB), credentials.ticket);
    if (!claims) throw unauthorized("The ticket is invalid, expired or already used.");
    return claims;
  }
  const presented = credentials.token ?? bearerToken(c.req.header("Authorization"));
  if (!presented)
    throw unauthorized("Send a ticket as ?ticket= (POST /api/auth/ticket) or the access token as ?token=.");
  const claims = await verifyAccessToken(c.env, presented);
  await assertSessionLive(c.env, claims, { forSocket: true });
  return claims;
}

/**
 * The object's answer: 101 with the client's end of the socket, or its refusal in the API's error
 * shape (a removal that landed after our check: 404; too many sockets: 429).
 */
function accepted(response: Response): Response {
  if (response.status === 101 && response.webSocket) return response;
  if (response.status === 404 || response.status === 429) return response;
  throw new ApiError("internal_error", "The socket could not be accepted.");
}

function sessionParams(claims: AccessClaims): Record<string, string> {
  return {
    userId: claims.userId,
    sessionId: claims.sessionId,
    expiresAt: String(claims.expiresAt.getTime()),
  };
}

function upgradeRequest(path: string, params: Record<string, string>): Request {
  const url = new URL(`https://internal${path}`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return new Request(url, { headers: { Upgrade: "websocket" } });
}

export const socketRoutes = openRoutes()
  .openapi(roomSocket, async (c) => {
    const { roomId } = c.req.valid("param");
    const { token, ticket, since, batch } = c.req.valid("query");
    const claims = await socketCaller(c, { token, ticket });
    const access = await roomAccess(database(c.env.DB), roomId, claims.userId);
    // API.md: a non-member gets 404 here, even for a public room they could join.
    if (!access.role) throw notFound("No such room.");
    const caller = asMember(access);
    const params: Record<string, string> = { roomId: caller.roomId, ...sessionParams(claims) };
    if (since !== undefined) params.since = String(since);
    if (batch === "1") params.batch = "1";
    return accepted(await roomObject(c.env, roomId).fetch(upgradeRequest("/connect", params)));
  })
  .openapi(userSocket, async (c) => {
    const { token, ticket, batch } = c.req.valid("query");
    const claims = await socketCaller(c, { token, ticket });
    const channel = userChannel(c.env, claims.userId);
    const params = sessionParams(claims);
    if (batch === "1") params.batch = "1";
    return accepted(await channel.fetch(upgradeRequest("/connect", params)));
  });
