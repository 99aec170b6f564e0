import { DurableObject } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { users } from "../db/schema";
import { errorBody } from "../http/errors";
import type { ChannelFrame } from "../protocol/frames";
import { CloseCode } from "../protocol/limits";
import { Connections, endSocket } from "../sockets/connections";
import { answerPingsWhileAsleep, completeClose } from "../sockets/lifecycle";
import {
  earliestExpiry,
  SESSION_ENDED,
  type SessionMatch,
  sessionMatches,
  TOKEN_EXPIRED,
} from "../sockets/sessions";

// A user's own channel (GET /api/ws): one Durable Object per user that keeps their room list live
// (room_updated / room_added / room_removed) over a single socket per signed-in client, instead of
// a socket per room. It also decides whether the user is online: while any of its sockets is open.
// D1 hears about that only on the transitions (first socket opened, last one closed), never per frame.
//
// It knows which rooms the user has sockets in (the rooms tell it), so that a session that ends
// closes that session's sockets everywhere: here, and in those rooms (see auth/session-ends.ts).
//
// Sockets use the Hibernation API; the user's id, session and token expiry ride in each socket's
// attachment, so a woken object knows whom it serves without any field surviving.

type ChannelSocket = { userId: string; sessionId: string; expiresAt: number; batch?: boolean };

export class UserChannel extends DurableObject<Env> {
  private readonly sockets: Connections<ChannelSocket, ChannelFrame>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sockets = new Connections(ctx);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS room_sockets (room_id TEXT PRIMARY KEY)");
    answerPingsWhileAsleep(ctx);
  }

  /** The Worker forwards a verified user's upgrade here as /connect?userId&sessionId&expiresAt. */
  override async fetch(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams;
    const [userId, sessionId, expiresAt] = [
      params.get("userId"),
      params.get("sessionId"),
      params.get("expiresAt"),
    ];
    if (!userId || !sessionId || !expiresAt) return new Response("bad internal request", { status: 400 });
    const open = this.sockets.open().length;
    const cap = Number(this.env.MAX_CHANNEL_SOCKETS_PER_USER) || 20;
    if (open >= cap) {
      const body = errorBody(
        "rate_limited",
        `At most ${cap} open channel sockets per person; close one first.`,
      );
      return Response.json(body, { status: 429, headers: { "retry-after": "10" } });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    const batch = params.get("batch") === "1" ? { batch: true } : {};
    this.sockets.accept(server, { userId, sessionId, expiresAt: Number(expiresAt), ...batch });
    await this.scheduleExpiry();
    if (open === 0) await this.setOnline(userId, true);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Forwards a frame to every open socket of this user; true if at least one took it. */
  async deliver(frame: ChannelFrame): Promise<boolean> {
    return this.sockets.broadcast(frame).length > 0;
  }

  /** A room says this user has sockets in it (open) or no longer (closed). */
  async noteRoomSockets(roomId: string, open: boolean): Promise<void> {
    const sql = this.ctx.storage.sql;
    if (open) sql.exec("INSERT OR IGNORE INTO room_sockets (room_id) VALUES (?)", roomId);
    else sql.exec("DELETE FROM room_sockets WHERE room_id = ?", roomId);
  }

  /** These sessions ended: their sockets here close with 4001; returns the rooms to tell. */
  async endSessions(match: SessionMatch): Promise<string[]> {
    for (const socket of this.sockets.held()) {
      if (sessionMatches(match, this.sockets.state(socket).sessionId))
        endSocket(socket, CloseCode.sessionEnded, SESSION_ENDED);
    }
    return this.ctx.storage.sql
      .exec<{ room_id: string }>("SELECT room_id FROM room_sockets")
      .toArray()
      .map((row) => row.room_id);
  }

  override async webSocketMessage(socket: WebSocket, data: string | ArrayBuffer): Promise<void> {
    // The channel only listens for pings (usually answered without waking us); it has no commands.
    const isPing =
      typeof data === "string" && data.length < 100 && /^\s*\{\s*"type"\s*:\s*"ping"\s*\}\s*$/.test(data);
    this.sockets.send(
      socket,
      isPing
        ? { type: "pong" }
        : { type: "error", code: "invalid_request", message: "This channel accepts only ping frames." },
    );
  }

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    completeClose(socket, code, reason);
    await this.closed(socket);
  }

  override async webSocketError(socket: WebSocket): Promise<void> {
    await this.closed(socket);
  }

  /** Sockets whose access token expired close with 4001; the client reconnects with a fresh one. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const socket of this.sockets.open()) {
      if (this.sockets.state(socket).expiresAt <= now)
        endSocket(socket, CloseCode.sessionEnded, TOKEN_EXPIRED);
    }
    await this.scheduleExpiry();
  }

  private async scheduleExpiry(): Promise<void> {
    const next = earliestExpiry(
      this.sockets
        .open()
        .map((socket) => this.sockets.state(socket))
        .filter((state) => state.expiresAt > Date.now()),
    );
    if (next === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || next < current || current < Date.now()) await this.ctx.storage.setAlarm(next);
  }

  private async closed(socket: WebSocket): Promise<void> {
    const { userId } = this.sockets.state(socket);
    const others = this.sockets.open().filter((other) => other !== socket);
    if (others.length === 0) await this.setOnline(userId, false);
  }

  private async setOnline(userId: string, online: boolean): Promise<void> {
    await database(this.env.DB)
      .update(users)
      .set(online ? { online: true } : { online: false, lastSeenAt: new Date() })
      .where(eq(users.id, userId));
  }
}
