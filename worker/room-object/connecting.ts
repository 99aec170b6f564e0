import { errorBody } from "../http/errors";
import type { Calls } from "./calls";
import type { Membership } from "./membership";
import type { RoomParts } from "./parts";
import type { Presence } from "./presence";
import type { Receipts } from "./receipts";

// A member's socket arrives (the Worker has checked the token and the membership in D1): the room
// checks the membership again against its own list (a removal may have landed in between) and the
// user's socket cap, then sends the welcome, every message after `since` (a resume), and only then
// live frames. All of it runs without an await after the checks, and a Durable Object handles one
// event at a time, so no new message can slip in between: no gap, no duplicate.

const REPLAY_PAGE = 500;

export type Arrival = {
  roomId: string;
  userId: string;
  sessionId: string;
  expiresAt: number;
  since: number | null;
  batch: boolean;
};

/** The Worker's forwarded upgrade, /connect?roomId&userId&sessionId&expiresAt[&since][&batch=1], or null. */
export function arrivalFrom(request: Request): Arrival | null {
  const url = new URL(request.url);
  const get = (name: string) => url.searchParams.get(name);
  const [roomId, userId, sessionId, expiresAt, since] = [
    "roomId",
    "userId",
    "sessionId",
    "expiresAt",
    "since",
  ].map(get);
  if (url.pathname !== "/connect" || !roomId || !userId || !sessionId || !expiresAt) return null;
  return {
    batch: get("batch") === "1",
    roomId,
    userId,
    sessionId,
    expiresAt: Number(expiresAt),
    since: since === null || since === undefined ? null : Number(since),
  };
}

function refusal(status: 404 | 429, message: string): Response {
  const code = status === 404 ? "not_found" : "rate_limited";
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (status === 429) headers["retry-after"] = "10";
  return new Response(JSON.stringify(errorBody(code, message)), { status, headers });
}

export class Connecting {
  constructor(
    private readonly parts: RoomParts,
    private readonly membership: Membership,
    private readonly presence: Presence,
    private readonly receipts: Receipts,
    private readonly calls: Calls,
  ) {}

  async connect(arrival: Arrival): Promise<Response> {
    const { sockets, store, env } = this.parts;
    if (!(await this.membership.find(arrival.roomId, arrival.userId))) return refusal(404, "No such room.");
    if (this.parts.store.moderation.activeBan(arrival.userId)) return refusal(404, "No such room.");
    const cap = Number(env.MAX_ROOM_SOCKETS_PER_USER) || 10;
    if (sockets.open(arrival.userId).length >= cap)
      return refusal(429, `At most ${cap} open sockets per person to one room; close one first.`);

    const { 0: client, 1: server } = new WebSocketPair();
    const { userId, sessionId, expiresAt, roomId } = arrival;
    const connectionId = crypto.randomUUID();
    const batch = arrival.batch ? { batch: true } : {};
    const state = {
      userId,
      sessionId,
      expiresAt,
      typingUntil: 0,
      typingShown: false,
      connectionId,
      call: null,
      ...batch,
    };
    sockets.accept(server, state);
    sockets.send(server, {
      type: "welcome",
      roomId,
      userId,
      lastSeq: store.messages.lastSeq(),
      online: this.presence.online(),
      receipts: this.receipts.all(),
      connectionId,
      call: this.calls.state(),
    });
    if (arrival.since !== null) this.replay(server, userId, arrival.since);
    this.presence.arrived(userId);
    return new Response(null, { status: 101, webSocket: client });
  }

  /**
   * Every message after `since`, at most RESUME_LIMIT of them; beyond that the client is told where
   * to page on from (`resume_incomplete`), so a long-lost client cannot make one event replay a
   * room's whole history.
   */
  private replay(socket: WebSocket, userId: string, since: number): void {
    const limit = Number(this.parts.env.RESUME_LIMIT) || 1000;
    let cursor = since;
    let sent = 0;
    for (;;) {
      // A resume replays everything after `since`, thread replies included (they have room seqs).
      const page = this.parts.store.messages.after(
        cursor,
        Math.min(REPLAY_PAGE, limit - sent),
        undefined,
        "all",
      );
      for (const message of page.messages) this.parts.sockets.send(socket, { type: "message", message });
      sent += page.messages.length;
      cursor = page.messages.at(-1)?.seq ?? cursor;
      if (!page.hasMore) break;
      if (sent >= limit) {
        this.parts.sockets.send(socket, { type: "resume_incomplete", nextSeq: cursor + 1 });
        break;
      }
    }
    if (cursor > since) this.receipts.markDelivered(userId, cursor);
  }
}
