import { DurableObject } from "cloudflare:workers";
import type { MemberChange, MemberInfo } from "../protocol/frames";
import type { Attachment, Message } from "../protocol/messages";
import { answerPingsWhileAsleep, completeClose } from "../sockets/lifecycle";
import type { SessionMatch } from "../sockets/sessions";
import type { Caller, Draft, HistoryQuery, Outcome, Visitor } from "./api";
import { ClientFrames } from "./client-frames";
import { RoomConcerns } from "./concerns";
import { arrivalFrom } from "./connecting";
import type { ModerationAction, ModerationQuery, ModerationView } from "./moderation";
import type { SearchPage, SearchQuery } from "./search";
import type { CompletedUpload, NotifyLevel, Page, PageAround, Report, Stored } from "./store";

// A Room is one chat room: a Durable Object that is the single writer of its messages (so `seq`
// ordering and clientId idempotency are local facts) and the hub of its WebSockets.
//
// This file is the object's surface: the calls the Worker makes (see ./api.ts for who may call and
// with what), the socket events, the alarm. Each routes to a concern of its own; ./concerns.ts is
// where they meet (and `stored` there is everything that happens to a new message).
//
// Life cycle, with the Hibernation API: sockets are accepted with ctx.acceptWebSocket, so the object
// may be evicted from memory while they stay open, and is re-created when a frame, a close or an
// alarm arrives. Everything that must survive that is in SQLite (messages, receipts, pending work)
// or on the socket itself (its attachment, see ./parts.ts). Fields of the concerns are caches or
// buffers that are safe to lose.

export class Room extends DurableObject<Env> {
  private readonly room: RoomConcerns;
  private readonly frames: ClientFrames;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.room = new RoomConcerns(ctx, env);
    this.frames = new ClientFrames(this.room);
    answerPingsWhileAsleep(ctx);
  }

  // ── What the Worker calls (REST and socket upgrades, with an identity it verified) ─────────────

  /** A verified member's upgrade, forwarded by the Worker (see `arrivalFrom` for its form). */
  override async fetch(request: Request): Promise<Response> {
    const arrival = arrivalFrom(request);
    if (!arrival) return new Response("bad internal request", { status: 400 });
    this.enter(arrival.roomId);
    const answer = await this.room.connecting.connect(arrival);
    if (answer.status === 101) this.ctx.waitUntil(this.room.parts.alarms.schedule()); // its token's expiry
    return answer;
  }

  // The message calls take a Visitor: the room knows its members and answers who may (no D1).

  async sendMessage(visitor: Visitor, draft: Draft): Promise<Outcome<Stored>> {
    const caller = await this.admit(visitor);
    return caller.ok ? this.room.sending.post(caller.value, draft) : caller;
  }

  async editMessage(visitor: Visitor, seq: number, body: string): Promise<Outcome<Message>> {
    const caller = await this.admit(visitor);
    return caller.ok ? this.room.editing.edit(caller.value, seq, body) : caller;
  }

  async deleteMessage(visitor: Visitor, seq: number): Promise<Outcome<Message>> {
    const caller = await this.admit(visitor);
    return caller.ok ? this.room.editing.delete(caller.value, seq) : caller;
  }

  async react(
    caller: Caller,
    seq: number,
    emoji: string,
    on: boolean,
  ): Promise<Outcome<{ changed: boolean }>> {
    this.enter(caller.roomId);
    return this.room.reactions.react(caller.userId, seq, emoji, on);
  }

  async pin(caller: Caller, seq: number, on: boolean): Promise<Outcome<Message>> {
    this.enter(caller.roomId);
    return this.room.pins.pin(caller, seq, on);
  }

  async pinned(caller: Caller): Promise<Message[]> {
    this.enter(caller.roomId);
    return this.room.pins.list();
  }

  /** The person a direct call rings declines it (from any of their devices). */
  async declineCall(caller: Caller): Promise<void> {
    this.enter(caller.roomId);
    this.room.calls.decline(caller.userId);
  }

  /** An upload begins (the Worker then streams its bytes to R2): its id, or why not (muted, blocked). */
  async reserveUpload(caller: Caller, name: string): Promise<Outcome<{ id: string }>> {
    this.enter(caller.roomId);
    return this.room.attachments.reserve(caller, name);
  }

  async completeUpload(caller: Caller, id: string, upload: CompletedUpload): Promise<Outcome<Attachment>> {
    this.enter(caller.roomId);
    return this.room.attachments.complete(caller, id, upload);
  }

  async removeLinkPreview(caller: Caller, seq: number): Promise<Outcome<Message>> {
    this.enter(caller.roomId);
    return this.room.linkPreviews.remove(caller, seq);
  }

  /** Moves the caller's read marker forward (never back, never past the last message). */
  async markRead(visitor: Visitor, seq: number): Promise<Outcome<null>> {
    const caller = await this.admit(visitor);
    if (caller.ok) await this.room.read(caller.value.userId, seq);
    return caller.ok ? { ok: true, value: null } : caller;
  }

  async history(visitor: Visitor, query: HistoryQuery): Promise<Outcome<Page>> {
    const caller = await this.admit(visitor);
    return caller.ok ? { ok: true, value: this.room.history.page(caller.value, query) } : caller;
  }

  async historyAround(visitor: Visitor, seq: number, limit: number): Promise<Outcome<PageAround>> {
    const caller = await this.admit(visitor);
    return caller.ok ? { ok: true, value: this.room.history.around(caller.value, seq, limit) } : caller;
  }

  /** What was said here that matches, best first (the Worker parsed the query; members only). */
  async search(visitor: Visitor, query: SearchQuery): Promise<Outcome<SearchPage>> {
    const caller = await this.admit(visitor);
    return caller.ok ? this.room.search.find(query) : caller;
  }

  /** Someone joined, was added, changed role or profile, left or was removed: members' lists follow. */
  async memberChanged(roomId: string, member: MemberInfo, change: MemberChange): Promise<void> {
    this.enter(roomId);
    await this.room.membership.find(roomId, member.userId); // the list is loaded before it changes
    this.room.membership.changed(member, change);
  }

  async setNotify(caller: Caller, level: NotifyLevel): Promise<void> {
    this.enter(caller.roomId);
    await this.room.membership.find(caller.roomId, caller.userId);
    this.room.membership.setNotify(caller.userId, level);
  }

  /** A member was removed (or left): their sockets to this room close at once. */
  async disconnectMember(userId: string, reason = "You are no longer a member of this room."): Promise<void> {
    this.room.sending.commit();
    this.room.membership.removed(userId, reason);
  }

  /** An owner or admin acted (the Worker checked their role): the room records, enforces and tells. */
  async moderate(caller: Caller, action: ModerationAction): Promise<void> {
    this.enter(caller.roomId);
    await this.room.membership.find(caller.roomId, caller.userId);
    this.room.moderation.apply(caller, action);
  }

  /** What owners and admins may look at: bans, mutes, reports, the audit log. */
  async moderationView(caller: Caller, query: ModerationQuery): Promise<ModerationView> {
    this.enter(caller.roomId);
    return this.room.moderation.view(query);
  }

  async reportMessage(caller: Caller, seq: number, reason: string): Promise<Outcome<Report>> {
    this.enter(caller.roomId);
    await this.room.membership.find(caller.roomId, caller.userId);
    return this.room.moderation.report(caller, seq, reason);
  }

  /** These sign-in sessions of this user ended: their sockets here close with 4001. */
  async endSessions(userId: string, match: SessionMatch): Promise<number> {
    this.room.sending.commit();
    return this.room.sessionEnds.ended(userId, match);
  }

  /** The room was deleted: close every socket and forget everything. */
  async destroy(): Promise<void> {
    this.room.membership.deleted();
    this.room.receipts.stop();
    this.room.sending.discard(); // never confirmed: the room is gone
    await this.room.parts.alarms.stop();
    await this.room.attachments.roomDeleted();
    // Start over empty: a late frame from a closing socket finds no room and is ignored.
    await this.room.parts.store.erase();
  }

  // ── Socket events and the alarm (the object may have just woken from hibernation) ─────────────

  override async webSocketMessage(socket: WebSocket, data: string | ArrayBuffer): Promise<void> {
    await this.frames.receive(socket, data);
  }

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    this.room.sending.commit();
    completeClose(socket, code, reason);
    this.room.socketLeft(socket);
  }

  override async webSocketError(socket: WebSocket): Promise<void> {
    this.room.socketLeft(socket);
  }

  override async alarm(): Promise<void> {
    this.room.sending.commit();
    await this.room.parts.alarms.ring();
  }

  // ── Inside the room ───────────────────────────────────────────────────────────────────────────

  /** A message call: the room's entry preamble, then whether the visitor is a member. */
  private async admit(visitor: Visitor): Promise<Outcome<Caller>> {
    // Nothing is written for someone refused: an unknown room id leaves no trace in this object.
    const caller = await this.room.membership.admit(visitor);
    if (caller.ok) this.enter(visitor.roomId);
    return caller;
  }

  /** Every call from the Worker: learn the room's id, and see every message received before it. */
  private enter(roomId: string): void {
    this.room.parts.store.meta.set("roomId", roomId);
    this.room.sending.commit();
  }
}
