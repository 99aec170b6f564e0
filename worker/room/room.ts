import { DurableObject } from "cloudflare:workers";
import { and, eq, lt, sql } from "drizzle-orm";
import { database } from "../db/client";
import { memberships, rooms } from "../db/schema";
import {
  BODY_TOO_LONG,
  ClientFrameSchema,
  CloseCode,
  type ErrorCode,
  MAX_FRAME_BYTES,
  type Message,
  type Role,
  type ServerFrame,
  TYPING_TIMEOUT_MS,
} from "../protocol";
import { pushRoomSummaries } from "../rooms/notify";
import { answerPingsWhileAsleep, completeClose } from "../sockets";
import { type Page, RoomStore } from "./store";
import { messageBucket, type TokenBucket } from "./token-bucket";

// A Room is one chat room: a Durable Object that is the single writer of its messages (so `seq`
// ordering and clientId idempotency are local facts) and the hub of its WebSockets.
//
// Life cycle, with the Hibernation API: sockets are accepted with ctx.acceptWebSocket, so the object
// may be evicted from memory while they stay open, and is re-created when a frame, a close or an
// alarm arrives. Everything that must survive that is in SQLite (messages, receipts, pending work)
// or on the socket itself (its attachment: who it belongs to and whether they are typing; its tag:
// the userId). Fields of this class are caches or buffers that are safe to lose.
//
// Only the Worker can reach this object (through its binding), and it calls with an identity it has
// already verified against D1: a `Caller`. Nothing a client sends is trusted as identity.

export type Caller = { roomId: string; userId: string; role: Role };

export type Outcome<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      code: "forbidden" | "not_found" | "conflict" | "rate_limited";
      message: string;
      retryAfter?: number;
    };

type SocketState = { userId: string; typingUntil: number };

/** A message frame accepted from a socket, waiting for the next group commit. */
type Pending = {
  roomId: string;
  userId: string;
  body: string;
  clientId: string;
  socket: WebSocket;
  bucket: TokenBucket;
};

/** Delivery receipts are coalesced: one `receipt` per member per window instead of one per message. */
const RECEIPT_WINDOW_MS = 250;
/** Room summaries and read markers reach D1 at most about once a second. */
const SUMMARY_INTERVAL_MS = 1000;
const SUMMARY_DEBOUNCE_MS = 100;
const PREVIEW_CHARS = 200;
const REPLAY_PAGE = 500;

function preview(body: string): string {
  const characters = Array.from(body);
  return characters.length <= PREVIEW_CHARS ? body : `${characters.slice(0, PREVIEW_CHARS).join("")}…`;
}

export class Room extends DurableObject<Env> {
  private readonly store: RoomStore;
  private readonly sockets = new WeakMap<WebSocket, SocketState>();
  private readonly buckets = new WeakMap<WebSocket, TokenBucket>();
  private readonly restBuckets = new Map<string, TokenBucket>();
  /** userId → highest seq sent to one of their sockets and not yet recorded as delivered. */
  private readonly pendingDelivered = new Map<string, number>();
  private readonly pendingReceipts = new Set<string>();
  private receiptTimer: ReturnType<typeof setTimeout> | undefined;
  /** A cache of meta.room_id (the object learns its room's id from the first call it gets). */
  private knownRoomId: string | null = null;
  /**
   * Group commit. Every event that writes to SQLite ends in a commit of its own, and in workerd a
   * commit costs far more than the INSERT (about 1 ms of the object's one thread, measured by
   * bench/: a Durable Object that inserts one row per frame tops out near 700 frames/s, one that
   * batches them near 3,000). So message frames are queued and written together, one transaction
   * for whatever arrived meanwhile, by a zero-delay timer: alone, a message waits for nothing; under
   * load, each commit carries many. Seqs are assigned in the write, and nothing is broadcast (or
   * confirmed) before it; the output gate holds the frames until the commit is durable.
   */
  private pending: Pending[] = [];
  private readonly pendingKeys = new Set<string>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RoomStore(ctx.storage.sql);
    answerPingsWhileAsleep(ctx);
  }

  // ── Connecting ────────────────────────────────────────────────────────────────────────────────

  /** The Worker forwards a verified member's upgrade here as /connect?roomId&userId[&since]. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const roomId = url.searchParams.get("roomId");
    const userId = url.searchParams.get("userId");
    const sinceParam = url.searchParams.get("since");
    if (url.pathname !== "/connect" || !roomId || !userId)
      return new Response("bad internal request", { status: 400 });
    this.enter(roomId);

    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [userId]);
    const state: SocketState = { userId, typingUntil: 0 };
    server.serializeAttachment(state);
    this.sockets.set(server, state);
    const firstSocket = this.openSockets(userId).length === 1;

    // Welcome, then the missed messages, then live frames. All of it runs without an await, and a
    // Durable Object handles one event at a time, so no new message can slip in between: no gap,
    // no duplicate.
    const lastSeq = this.store.lastSeq();
    this.sendTo(server, {
      type: "welcome",
      roomId,
      userId,
      lastSeq,
      online: this.onlineUsers(),
      receipts: this.store.receipts(),
    });
    if (sinceParam !== null) {
      let cursor = Number(sinceParam);
      for (;;) {
        const page = this.store.after(roomId, cursor, REPLAY_PAGE);
        for (const message of page.messages) this.sendTo(server, { type: "message", message });
        cursor = page.messages.at(-1)?.seq ?? cursor;
        if (!page.hasMore) break;
      }
      if (cursor > Number(sinceParam)) this.noteDelivered(userId, cursor);
    }
    if (firstSocket) this.broadcast({ type: "presence", userId, online: true }, userId);
    return new Response(null, { status: 101, webSocket: client });
  }

  // ── What members do (REST and socket frames both end here) ────────────────────────────────────

  async sendMessage(
    caller: Caller,
    body: string,
    clientId?: string,
  ): Promise<Outcome<{ message: Message; created: boolean }>> {
    this.enter(caller.roomId);
    const bucket = this.restBuckets.get(caller.userId) ?? messageBucket(this.env);
    this.restBuckets.set(caller.userId, bucket);
    // As for a socket frame: a repeat never costs a token and is answered even when the bucket is empty.
    const allowed = bucket.take();
    if (!allowed.ok) {
      const repeat = clientId ? this.store.byClientId(caller.roomId, caller.userId, clientId) : null;
      if (repeat) return { ok: true, value: { message: repeat, created: false } };
      return {
        ok: false,
        code: "rate_limited",
        message: "Too many messages; slow down.",
        retryAfter: allowed.retryAfterSeconds,
      };
    }
    const outcome = await this.post(caller.roomId, caller.userId, body, clientId ?? null);
    if (!outcome.created) bucket.refund();
    return { ok: true, value: outcome };
  }

  async editMessage(caller: Caller, seq: number, body: string): Promise<Outcome<Message>> {
    this.enter(caller.roomId);
    const message = this.store.message(caller.roomId, seq);
    if (!message) return { ok: false, code: "not_found", message: `No message ${seq} in this room.` };
    if (message.userId !== caller.userId)
      return { ok: false, code: "forbidden", message: "Only its author can edit a message." };
    if (message.deletedAt)
      return { ok: false, code: "conflict", message: "A deleted message cannot be edited." };
    const edited = this.store.edit(caller.roomId, seq, body) ?? message;
    this.broadcast({ type: "message_updated", message: edited });
    if (seq === this.store.lastSeq()) await this.scheduleSummary();
    return { ok: true, value: edited };
  }

  async deleteMessage(caller: Caller, seq: number): Promise<Outcome<Message>> {
    this.enter(caller.roomId);
    const message = this.store.message(caller.roomId, seq);
    if (!message) return { ok: false, code: "not_found", message: `No message ${seq} in this room.` };
    const moderator = caller.role === "owner" || caller.role === "admin";
    if (message.userId !== caller.userId && !moderator) {
      return {
        ok: false,
        code: "forbidden",
        message: "Only its author, an owner or an admin can delete a message.",
      };
    }
    if (message.deletedAt) return { ok: true, value: message };
    const deleted = this.store.tombstone(caller.roomId, seq) ?? message;
    this.broadcast({ type: "message_updated", message: deleted });
    if (seq === this.store.lastSeq()) await this.scheduleSummary();
    return { ok: true, value: deleted };
  }

  /** Moves the caller's read marker forward (never back, never past the last message). */
  async markRead(caller: Caller, seq: number): Promise<void> {
    this.enter(caller.roomId);
    await this.readUpTo(caller.userId, seq);
  }

  /** A page of history. What a member fetches counts as delivered to them. */
  async history(caller: Caller, query: { before?: number; after?: number; limit: number }): Promise<Page> {
    this.enter(caller.roomId);
    const page =
      query.after !== undefined
        ? this.store.after(caller.roomId, query.after, query.limit, query.before)
        : this.store.before(caller.roomId, query.before ?? Number.MAX_SAFE_INTEGER, query.limit);
    const newest = page.messages.at(-1)?.seq;
    if (newest !== undefined) this.noteDelivered(caller.userId, newest);
    return page;
  }

  /** A member was removed (or left): their sockets to this room close at once. */
  async disconnectMember(userId: string, reason = "You are no longer a member of this room."): Promise<void> {
    this.flushPending();
    for (const socket of this.ctx.getWebSockets(userId)) socket.close(CloseCode.removedFromRoom, reason);
  }

  /** The room was deleted: close every socket and forget everything. */
  async destroy(): Promise<void> {
    for (const socket of this.ctx.getWebSockets())
      socket.close(CloseCode.roomDeleted, "This room was deleted.");
    if (this.receiptTimer !== undefined) clearTimeout(this.receiptTimer);
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending = []; // never confirmed: the room is gone
    this.pendingKeys.clear();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // Start over empty: a late frame from a closing socket finds no room and is ignored.
    this.store.createSchema();
    this.knownRoomId = null;
  }

  // ── Socket events (the object may have just woken from hibernation) ──────────────────────────

  override async webSocketMessage(socket: WebSocket, data: string | ArrayBuffer): Promise<void> {
    if (typeof data !== "string") return this.refuse(socket, "invalid_request", "Frames must be JSON text.");
    // A UTF-16 unit is at most 3 bytes of UTF-8: only a long frame needs encoding to be measured.
    if (
      data.length > MAX_FRAME_BYTES ||
      (data.length * 3 > MAX_FRAME_BYTES && new TextEncoder().encode(data).byteLength > MAX_FRAME_BYTES)
    ) {
      return this.refuse(socket, "payload_too_large", `Frames must be at most ${MAX_FRAME_BYTES} bytes.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return this.refuse(socket, "invalid_request", "Frames must be JSON.");
    }
    const parsed = ClientFrameSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
      const clientId = (json as { clientId?: unknown })?.clientId;
      return this.refuse(
        socket,
        issue?.message === BODY_TOO_LONG ? "payload_too_large" : "invalid_request",
        `${where}${issue?.message ?? "invalid frame"}`,
        typeof clientId === "string" ? clientId : undefined,
      );
    }
    const state = this.stateOf(socket);
    const roomId = this.roomId();
    if (!roomId) return;
    const frame = parsed.data;
    if (frame.type !== "message") this.flushPending(); // everything else sees every message so far
    switch (frame.type) {
      case "message": {
        // Still queued from an earlier frame: its broadcast will confirm it to this socket too.
        const key = `${state.userId}\n${frame.clientId}`;
        if (this.pendingKeys.has(key)) return;
        // A repeat of a stored message never costs a token and is answered even when the bucket is
        // empty; on the common path the INSERT itself (unique index) tells a repeat apart.
        const bucket = this.bucketOf(socket);
        if (!bucket.take().ok) {
          const repeat = this.store.byClientId(roomId, state.userId, frame.clientId);
          if (repeat) return this.sendTo(socket, { type: "message", message: repeat });
          return this.refuse(socket, "rate_limited", "Too many messages; slow down.", frame.clientId);
        }
        this.pending.push({
          roomId,
          userId: state.userId,
          body: frame.body,
          clientId: frame.clientId,
          socket,
          bucket,
        });
        this.pendingKeys.add(key);
        this.flushTimer ??= setTimeout(() => this.flushPending(), 0);
        return;
      }
      case "typing":
        return this.setTyping(socket, frame.typing);
      case "read":
        return this.readUpTo(state.userId, frame.seq);
      case "ping":
        return this.sendTo(socket, { type: "pong" });
    }
  }

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    this.flushPending();
    completeClose(socket, code, reason);
    this.forget(socket);
  }

  override async webSocketError(socket: WebSocket): Promise<void> {
    this.forget(socket);
  }

  override async alarm(): Promise<void> {
    this.flushPending();
    const now = Date.now();
    this.expireTyping(now);
    const due = Number(this.store.getMeta("summary_due") ?? Number.POSITIVE_INFINITY);
    if (due <= now) await this.flushSummary();
    await this.scheduleAlarm();
  }

  // ── Inside the room ───────────────────────────────────────────────────────────────────────────

  private async readUpTo(userId: string, seq: number): Promise<void> {
    const target = Math.min(seq, this.store.lastSeq());
    if (this.store.advance(userId, 0, target)) {
      this.queueReceipt(userId);
      await this.scheduleSummary();
    }
  }

  /** Writes every queued message frame in one transaction, then tells everyone, in seq order. */
  private flushPending(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingKeys.clear();
    let stored = false;
    for (const item of batch) {
      const outcome = this.store.appendOrRepeat(item.roomId, item.userId, item.body, item.clientId);
      if (outcome.created) {
        this.afterStored(outcome.message);
        stored = true;
      } else {
        item.bucket.refund(); // a repeat costs nothing; it is answered to its sender only
        this.sendTo(item.socket, { type: "message", message: outcome.message });
      }
    }
    if (stored) this.ctx.waitUntil(this.scheduleSummary());
  }

  /** The REST path: stored at once (after whatever frames are queued), then told to everyone. */
  private async post(roomId: string, userId: string, body: string, clientId: string | null) {
    const outcome = this.store.appendOrRepeat(roomId, userId, body, clientId);
    if (outcome.created) {
      this.afterStored(outcome.message);
      await this.scheduleSummary();
    }
    return outcome;
  }

  /** Nothing is sent before it is stored. */
  private afterStored(message: Message): void {
    this.store.advance(message.userId, message.seq, message.seq); // the author has read their own message
    this.queueReceipt(message.userId);
    this.broadcast({ type: "message", message });
    for (const socket of this.openSockets(message.userId)) {
      if (this.stateOf(socket).typingUntil > 0) this.setTyping(socket, false);
    }
  }

  private setTyping(socket: WebSocket, typing: boolean): void {
    const state = this.stateOf(socket);
    const wasTyping = this.isTyping(state.userId);
    state.typingUntil = typing ? Date.now() + TYPING_TIMEOUT_MS : 0;
    socket.serializeAttachment(state);
    const isTyping = this.isTyping(state.userId);
    if (isTyping !== wasTyping)
      this.broadcast({ type: "typing", userId: state.userId, typing: isTyping }, state.userId);
    if (typing) this.ctx.waitUntil(this.scheduleAlarm());
  }

  private isTyping(userId: string, now = Date.now()): boolean {
    return this.openSockets(userId).some((socket) => this.stateOf(socket).typingUntil > now);
  }

  /** Typing stops by itself: the alarm clears indicators whose time has passed. */
  private expireTyping(now: number): void {
    const stopped = new Set<string>();
    for (const socket of this.ctx.getWebSockets()) {
      const state = this.stateOf(socket);
      if (state.typingUntil > 0 && state.typingUntil <= now) {
        state.typingUntil = 0;
        socket.serializeAttachment(state);
        stopped.add(state.userId);
      }
    }
    for (const userId of stopped) {
      if (!this.isTyping(userId, now)) this.broadcast({ type: "typing", userId, typing: false }, userId);
    }
  }

  private forget(socket: WebSocket): void {
    const state = this.stateOf(socket);
    const others = this.openSockets(state.userId).filter((other) => other !== socket);
    if (
      state.typingUntil > Date.now() &&
      !others.some((other) => this.stateOf(other).typingUntil > Date.now())
    ) {
      this.broadcast({ type: "typing", userId: state.userId, typing: false }, state.userId);
    }
    if (others.length === 0)
      this.broadcast({ type: "presence", userId: state.userId, online: false }, state.userId);
  }

  // ── Receipts ──────────────────────────────────────────────────────────────────────────────────

  private noteDelivered(userId: string, seq: number): void {
    if ((this.pendingDelivered.get(userId) ?? 0) < seq) this.pendingDelivered.set(userId, seq);
    this.queueReceipt(userId);
  }

  private queueReceipt(userId: string): void {
    this.pendingReceipts.add(userId);
    this.receiptTimer ??= setTimeout(() => this.flushReceipts(), RECEIPT_WINDOW_MS);
  }

  /** Records coalesced delivery markers and tells the room whose markers moved. */
  private flushReceipts(): void {
    this.receiptTimer = undefined;
    for (const [userId, seq] of this.pendingDelivered) {
      if (this.store.advance(userId, seq, 0, false)) this.pendingReceipts.add(userId);
    }
    this.pendingDelivered.clear();
    // While a summary flush is due, the markers ride along with it (one commit a second instead of
    // four); otherwise they are written now.
    if (this.store.getMeta("summary_due") === null) this.store.saveDelivered();
    for (const userId of this.pendingReceipts)
      this.broadcast({ type: "receipt", ...this.store.receipt(userId) });
    this.pendingReceipts.clear();
  }

  // ── Summaries to D1, in batches ───────────────────────────────────────────────────────────────

  private async scheduleSummary(): Promise<void> {
    if (this.store.getMeta("summary_due") !== null) return;
    const lastFlush = Number(this.store.getMeta("summary_flushed_at") ?? 0);
    const due = Math.max(Date.now() + SUMMARY_DEBOUNCE_MS, lastFlush + SUMMARY_INTERVAL_MS);
    this.store.setMeta("summary_due", String(due));
    await this.scheduleAlarm();
  }

  /** One alarm serves both the summary flush and typing expiry: it is set for whichever is first. */
  private async scheduleAlarm(): Promise<void> {
    const candidates = [Number(this.store.getMeta("summary_due") ?? Number.POSITIVE_INFINITY)];
    for (const socket of this.ctx.getWebSockets()) {
      const until = this.stateOf(socket).typingUntil;
      if (until > 0) candidates.push(until);
    }
    const next = Math.min(...candidates);
    if (!Number.isFinite(next)) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || next < current || current < Date.now()) await this.ctx.storage.setAlarm(next);
  }

  private async flushSummary(): Promise<void> {
    const roomId = this.roomId();
    if (!roomId) return;
    this.store.saveDelivered();
    const db = database(this.env.DB);
    const lastSeq = this.store.lastSeq();
    const last = lastSeq > 0 ? this.store.message(roomId, lastSeq) : null;
    const reads = this.store.unsyncedReads();
    const summary = db
      .update(rooms)
      .set({
        lastSeq,
        lastMessageSeq: last?.seq ?? null,
        lastMessageUserId: last?.userId ?? null,
        lastMessagePreview: last ? preview(last.body) : null,
        lastMessageAt: last ? new Date(last.createdAt) : null,
        lastActivityAt: last
          ? sql`max(${rooms.lastActivityAt}, ${Date.parse(last.createdAt)})`
          : rooms.lastActivityAt,
      })
      .where(eq(rooms.id, roomId));
    const readMarkers = reads.map((read) =>
      db
        .update(memberships)
        .set({ lastReadSeq: read.readSeq })
        .where(
          and(
            eq(memberships.roomId, roomId),
            eq(memberships.userId, read.userId),
            lt(memberships.lastReadSeq, read.readSeq),
          ),
        ),
    );
    // Clear "due" before awaiting D1: other events run while we wait, and a message or read that
    // arrives then must schedule the next flush rather than be folded into this one and forgotten.
    const due = this.store.getMeta("summary_due");
    this.store.setMeta("summary_due", null);
    try {
      await db.batch([summary, ...readMarkers]);
    } catch (error) {
      // D1 failed: still due; the alarm is retried.
      if (this.store.getMeta("summary_due") === null) this.store.setMeta("summary_due", due);
      throw error;
    }
    this.store.markReadsSynced(reads); // only markers that did not move meanwhile
    this.store.setMeta("summary_flushed_at", String(Date.now()));
    // The room lists of members who are online update live; what reached a device counts as delivered.
    for (const delivered of await pushRoomSummaries(this.env, roomId, "room_updated")) {
      if (delivered.seq > 0) this.noteDelivered(delivered.userId, delivered.seq);
    }
  }

  // ── Plumbing ──────────────────────────────────────────────────────────────────────────────────

  /** Every call from the Worker: learn the room's id, and see every message received before it. */
  private enter(roomId: string): void {
    this.remember(roomId);
    this.flushPending();
  }

  private remember(roomId: string): void {
    if (this.roomId() !== roomId) this.store.setMeta("room_id", roomId);
    this.knownRoomId = roomId;
  }

  private roomId(): string | null {
    this.knownRoomId ??= this.store.getMeta("room_id");
    return this.knownRoomId;
  }

  private stateOf(socket: WebSocket): SocketState {
    let state = this.sockets.get(socket);
    if (!state) {
      // After hibernation the cache is empty: rebuild it from the socket's attachment.
      state = socket.deserializeAttachment() as SocketState;
      this.sockets.set(socket, state);
    }
    return state;
  }

  private bucketOf(socket: WebSocket): TokenBucket {
    let bucket = this.buckets.get(socket);
    if (!bucket) {
      bucket = messageBucket(this.env);
      this.buckets.set(socket, bucket);
    }
    return bucket;
  }

  private openSockets(userId: string): WebSocket[] {
    return this.ctx.getWebSockets(userId).filter((socket) => socket.readyState === WebSocket.OPEN);
  }

  private onlineUsers(): string[] {
    const users = new Set<string>();
    for (const socket of this.ctx.getWebSockets()) {
      if (socket.readyState === WebSocket.OPEN) users.add(this.stateOf(socket).userId);
    }
    return [...users];
  }

  private sendTo(socket: WebSocket, frame: ServerFrame): void {
    try {
      socket.send(JSON.stringify(frame));
    } catch {
      // The socket is closing; its close event cleans up.
    }
  }

  private refuse(socket: WebSocket, code: ErrorCode, message: string, clientId?: string): void {
    this.sendTo(
      socket,
      clientId === undefined ? { type: "error", code, message } : { type: "error", code, message, clientId },
    );
  }

  /** Serialises the frame once for every socket. A new message counts as delivered to each recipient. */
  private broadcast(frame: ServerFrame, exceptUserId?: string): void {
    const text = JSON.stringify(frame);
    const seq = frame.type === "message" ? frame.message.seq : 0;
    for (const socket of this.ctx.getWebSockets()) {
      const state = this.stateOf(socket);
      if (state.userId === exceptUserId) continue;
      try {
        socket.send(text);
        if (seq > 0) this.noteDelivered(state.userId, seq);
      } catch {
        // closing; cleaned up by its close event
      }
    }
  }
}
