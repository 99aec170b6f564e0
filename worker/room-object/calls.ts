import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { rooms } from "../db/schema";
import type { CallParticipant, CallSummary } from "../protocol/calls";
import type { ClientFrameOf, ErrorCode } from "../protocol/frames";
import { CALL_RING_MS, DEFAULT_MAX_CALL_PARTICIPANTS } from "../protocol/limits";
import type { Message } from "../protocol/messages";
import { sendToUser } from "../user-channel/client";
import type { AlarmTask } from "./alarms";
import type { CallSeat, RoomParts } from "./parts";
import { Ringing } from "./ringing";
import type { CurrentCall } from "./store";
import { TokenBucket } from "./token-bucket";

// Calls: audio and video between members' browsers (WebRTC, a full mesh), signalled through the
// room. The room never sees media; it keeps who is in the call and passes what browsers say to each
// other (descriptions and ICE candidates, `call_signal`) to the one participant it is addressed to,
// never to anyone outside the call.
//
// Who is in the call is on their sockets: a socket that joins gets a seat in its attachment (what
// it sends, since when), so the call survives hibernation, and a socket that closes leaves at once:
// its close event is its own, and everyone left sees `call_state` right away. One seat per person:
// joining from a second device moves the seat there (the first device sees it is no longer in).
// What outlasts the sockets (when it started, who took part, whom it rings) is in store/calls.ts.
//
// A call ends when its last participant leaves, or, in a direct room, when either person hangs up
// (a dropped connection is not hanging up: the other waits for them to come back), or when nobody
// answered or the other person declined. Then the room posts a `kind: "call"` message by whoever
// started it, naming everyone who took part, and tells them (and whoever was rung) `call_ended`.

/** Signals come in bursts (an offer and a dozen candidates per peer, times five peers on a join). */
const SIGNALS_PER_SEC = 50;
const SIGNAL_BURST = 200;
/** Joins, updates and leaves each tell the whole room, so they are rarer. */
const CONTROLS_PER_SEC = 2;
const CONTROL_BURST = 10;
/** A call nobody is in any more (a restart drops every socket without close events) ends this long after. */
const ABANDONED_MS = 60_000;

export type CallHooks = {
  /** Why this person may not take part here now (muted, blocked), or null. */
  refusalToJoin(userId: string): string | null;
  /** The call is over and its message stored: tell the room as for any new message. */
  posted(message: Message): void;
};

type Buckets = { signals: TokenBucket; controls: TokenBucket };

export class Calls implements AlarmTask {
  /** connectionId → socket, of the sockets with a seat: a cache of their attachments, rebuilt on wake. */
  private seated: Map<string, WebSocket> | null = null;
  private readonly buckets = new WeakMap<WebSocket, Buckets>();
  /** The room's kind never changes: looked up in D1 once per life of the object. */
  private direct: boolean | undefined;
  /** Since when the call has had no participants (only after a restart; see ABANDONED_MS). */
  private emptySince: number | undefined;
  private readonly ringing: Ringing;

  constructor(
    private readonly parts: RoomParts,
    private readonly hooks: CallHooks,
  ) {
    this.ringing = new Ringing(parts);
  }

  /** The call as a welcome carries it. */
  state(): { participants: CallParticipant[] } {
    return { participants: this.participants() };
  }

  async join(socket: WebSocket, frame: ClientFrameOf<"call_join">): Promise<void> {
    if (!this.allowed(socket, "controls")) return;
    const { userId } = this.parts.sockets.state(socket);
    const refusal = this.hooks.refusalToJoin(userId);
    if (refusal) return this.refuse(socket, "forbidden", refusal);
    const direct = await this.isDirect();
    // Other events may have run during that lookup: everything below reads the state afresh.
    if (socket.readyState !== WebSocket.OPEN) return;
    const seat = this.parts.sockets.state(socket).call;
    if (seat) return this.update(socket, { ...frame, screen: seat.screen });
    const seats = this.seats();
    const mine = [...seats.values()].filter((other) => this.parts.sockets.state(other).userId === userId);
    const capacity = Number(this.parts.env.MAX_CALL_PARTICIPANTS) || DEFAULT_MAX_CALL_PARTICIPANTS;
    if (seats.size - mine.length >= capacity)
      return this.refuse(socket, "call_full", `This call is full: at most ${capacity} people can be in it.`);

    const now = Date.now();
    const calls = this.parts.store.calls;
    const ongoing = calls.current();
    if (ongoing) calls.joined(userId);
    else calls.start(userId, now);
    // A seat that moves here from another device keeps its place in the call's order; a new one
    // comes after every seat there is, even one taken in the same millisecond (the order is joinedAt's).
    const joinedAtOf = (other: WebSocket) => this.parts.sockets.state(other).call?.joinedAt ?? 0;
    const moving = mine[0];
    const joinedAt = moving
      ? joinedAtOf(moving)
      : Math.max(now, ...[...seats.values()].map((other) => joinedAtOf(other) + 1));
    for (const other of mine) this.unseat(other);
    this.seat(socket, { audio: frame.audio, video: frame.video, screen: false, joinedAt });
    this.tellState();
    if (!ongoing && direct) this.ringTheOther(userId, now);
    else if (this.ringing.callee() === userId) this.ringing.stop("answered");
  }

  update(socket: WebSocket, frame: Omit<ClientFrameOf<"call_update">, "type">): void {
    if (!this.allowed(socket, "controls")) return;
    const seat = this.parts.sockets.state(socket).call;
    if (!seat) {
      this.refuse(socket, "invalid_request", "You are not in this room's call; join it first.");
      return;
    }
    const { audio, video, screen } = frame;
    if (seat.audio === audio && seat.video === video && seat.screen === screen) return;
    this.parts.sockets.update(socket, { call: { ...seat, audio, video, screen } });
    this.tellState();
  }

  /** Hanging up. In a direct room that ends the call for both. */
  async leave(socket: WebSocket): Promise<void> {
    if (!this.parts.sockets.state(socket).call || !this.allowed(socket, "controls")) return;
    const direct = await this.isDirect();
    if (!this.parts.sockets.state(socket).call) return; // left meanwhile
    this.unseat(socket);
    if (direct || this.seats().size === 0) this.finish(Date.now(), "cancelled");
    else this.tellState();
  }

  /** A socket closed (its own close event, or an error): it leaves the call now. */
  closed(socket: WebSocket): void {
    const { connectionId, call } = this.parts.sockets.state(socket);
    if (!call) return;
    this.seats().delete(connectionId); // its attachment goes with it
    if (this.seats().size === 0) this.finish(Date.now(), "cancelled");
    else this.tellState();
  }

  /** Relays one browser's signal to the one participant it is addressed to. */
  signal(socket: WebSocket, frame: ClientFrameOf<"call_signal">): void {
    const from = this.parts.sockets.state(socket);
    if (!from.call) {
      this.refuse(socket, "invalid_request", "Join the call before signalling in it.");
      return;
    }
    if (!this.allowed(socket, "signals")) return;
    const to = this.seats().get(frame.toConnectionId);
    if (!to || to === socket) {
      this.refuse(socket, "not_found", "Nobody in this call has that connectionId.");
      return;
    }
    this.parts.sockets.send(to, {
      type: "call_signal",
      fromConnectionId: from.connectionId,
      fromUserId: from.userId,
      signal: frame.signal,
    });
  }

  /** The person a direct call rings says no (from any device, over REST): the call ends. */
  decline(userId: string): void {
    if (this.ringing.callee() === userId) this.finish(Date.now(), "declined");
  }

  // ── The alarm: a ring that was not answered, a call abandoned by a restart ──

  due(): number | null {
    const ringsUntil = this.ringing.dueAt();
    if (!this.parts.store.calls.current() || this.seats().size > 0) return ringsUntil;
    this.emptySince ??= Date.now();
    const abandonedAt = this.emptySince + ABANDONED_MS;
    return ringsUntil === null ? abandonedAt : Math.min(ringsUntil, abandonedAt);
  }

  run(now: number): void {
    const ringsUntil = this.ringing.dueAt();
    const emptySince = this.emptySince;
    if (ringsUntil !== null && ringsUntil <= now) this.finish(now, "missed");
    else if (emptySince !== undefined && emptySince + ABANDONED_MS <= now && this.seats().size === 0)
      this.finish(emptySince, "cancelled");
  }

  // ── Inside ──

  /** Ends the call: everyone out, ringing stopped, the call message posted, those involved told. */
  private finish(at: number, ringingStopped: "cancelled" | "declined" | "missed"): void {
    const call = this.parts.store.calls.current();
    if (!call) return;
    this.ringing.stop(ringingStopped);
    for (const socket of [...this.seats().values()]) this.unseat(socket);
    this.parts.store.calls.end();
    this.emptySince = undefined;
    this.tellState();
    this.hooks.posted(this.parts.store.messages.appendCall(call.startedBy, summary(call, at)));
    const roomId = this.parts.store.meta.get("roomId") ?? "";
    const involved = new Set([...call.participantIds, ...(call.ringing ? [call.ringing.userId] : [])]);
    for (const userId of involved)
      this.parts.ctx.waitUntil(
        sendToUser(this.parts.env, userId, { type: "call_ended", roomId }).then(() => undefined),
      );
  }

  private ringTheOther(callerId: string, now: number): void {
    const callee = this.parts.store.members.all().find((member) => member.userId !== callerId);
    if (callee) this.ringing.start(callerId, callee.userId, now + CALL_RING_MS);
  }

  private participants(): CallParticipant[] {
    const list: CallParticipant[] = [];
    for (const [connectionId, socket] of this.seats()) {
      const { userId, call } = this.parts.sockets.state(socket);
      if (!call) continue;
      const { audio, video, screen } = call;
      list.push({
        userId,
        connectionId,
        audio,
        video,
        screen,
        joinedAt: new Date(call.joinedAt).toISOString(),
      });
    }
    return list.sort(
      (a, b) => a.joinedAt.localeCompare(b.joinedAt) || a.connectionId.localeCompare(b.connectionId),
    );
  }

  private tellState(): void {
    this.parts.sockets.broadcast({ type: "call_state", participants: this.participants() });
  }

  private seats(): Map<string, WebSocket> {
    if (!this.seated) {
      this.seated = new Map();
      for (const socket of this.parts.sockets.held()) {
        const { connectionId, call } = this.parts.sockets.state(socket);
        if (call) this.seated.set(connectionId, socket);
      }
    }
    return this.seated;
  }

  private seat(socket: WebSocket, seat: CallSeat): void {
    const { connectionId } = this.parts.sockets.update(socket, { call: seat });
    this.seats().set(connectionId, socket);
    this.emptySince = undefined;
  }

  private unseat(socket: WebSocket): void {
    const { connectionId } = this.parts.sockets.update(socket, { call: null });
    this.seats().delete(connectionId);
  }

  private async isDirect(): Promise<boolean> {
    if (this.direct === undefined) {
      const roomId = this.parts.store.meta.get("roomId") ?? "";
      const [row] = await database(this.parts.env.DB)
        .select({ kind: rooms.kind })
        .from(rooms)
        .where(eq(rooms.id, roomId));
      this.direct = row?.kind === "direct";
    }
    return this.direct;
  }

  /** Takes a token from this socket's bucket of that kind; says rate_limited if there is none. */
  private allowed(socket: WebSocket, kind: keyof Buckets): boolean {
    let buckets = this.buckets.get(socket);
    if (!buckets) {
      buckets = {
        signals: new TokenBucket(SIGNALS_PER_SEC, SIGNAL_BURST),
        controls: new TokenBucket(CONTROLS_PER_SEC, CONTROL_BURST),
      };
      this.buckets.set(socket, buckets);
    }
    if (buckets[kind].take().ok) return true;
    this.refuse(socket, "rate_limited", "Too many call frames; slow down.");
    return false;
  }

  private refuse(socket: WebSocket, code: ErrorCode, message: string): void {
    this.parts.sockets.send(socket, { type: "error", code, message });
  }
}

function summary(call: CurrentCall, endedAt: number): CallSummary {
  return {
    startedAt: new Date(call.startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationSec: Math.max(0, Math.round((endedAt - call.startedAt) / 1000)),
    participantIds: call.participantIds,
  };
}
