import { DurableObject } from "cloudflare:workers";
import type { ClientFrame, ClientFrameOf, MemberChange, MemberInfo, RoomFrame } from "../protocol/frames";
import type { Message } from "../protocol/messages";
import { Connections } from "../sockets/connections";
import { answerPingsWhileAsleep, completeClose } from "../sockets/lifecycle";
import type { SessionMatch } from "../sockets/sessions";
import { AlarmClock } from "./alarms";
import type { Caller, HistoryQuery, Outcome } from "./api";
import { parseClientFrame } from "./client-frames";
import { Connecting } from "./connecting";
import { Editing } from "./editing";
import { History } from "./history";
import { Membership } from "./membership";
import { Moderation, type ModerationAction, type ModerationQuery, type ModerationView } from "./moderation";
import type { RoomParts, SocketState } from "./parts";
import { Presence } from "./presence";
import { Receipts } from "./receipts";
import { RoomListSync } from "./room-list-sync";
import { Sending } from "./sending";
import { SessionEnds } from "./sessions";
import { type Page, type Report, RoomStore, type Stored } from "./store";
import { Typing } from "./typing";

// A Room is one chat room: a Durable Object that is the single writer of its messages (so `seq`
// ordering and clientId idempotency are local facts) and the hub of its WebSockets.
//
// This file is the object's surface: the calls the Worker makes (see ./api.ts for who may call and
// with what), the socket events, the alarm. Each routes to a concern of its own (sending, receipts,
// typing, presence, the room-list sync, …), and `stored` below is where a new message meets them all.
//
// Life cycle, with the Hibernation API: sockets are accepted with ctx.acceptWebSocket, so the object
// may be evicted from memory while they stay open, and is re-created when a frame, a close or an
// alarm arrives. Everything that must survive that is in SQLite (messages, receipts, pending work)
// or on the socket itself (its attachment, see ./parts.ts). Fields of the concerns are caches or
// buffers that are safe to lose.

type FrameHandlers = { [K in ClientFrame["type"]]: (socket: WebSocket, frame: ClientFrameOf<K>) => unknown };

export class Room extends DurableObject<Env> {
  private readonly parts: RoomParts;
  private readonly sending: Sending;
  private readonly receipts: Receipts;
  private readonly typing: Typing;
  private readonly presence: Presence;
  private readonly roomList: RoomListSync;
  private readonly connecting: Connecting;
  private readonly editing: Editing;
  private readonly historyPages: History;
  private readonly membership: Membership;
  private readonly sessionEnds: SessionEnds;
  private readonly moderation: Moderation;
  /** What each client frame does. Adding a frame type: its schema in protocol/frames.ts, one line here. */
  private readonly frames: FrameHandlers;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sockets = new Connections<SocketState, RoomFrame>(ctx);
    this.parts = {
      ctx,
      env,
      store: new RoomStore(ctx.storage),
      sockets,
      alarms: new AlarmClock(ctx.storage),
    };
    this.roomList = new RoomListSync(this.parts, (userId, seq) => this.receipts.markDelivered(userId, seq));
    this.receipts = new Receipts(this.parts, () => this.roomList.pending());
    this.typing = new Typing(this.parts);
    this.presence = new Presence(this.parts);
    this.membership = new Membership(this.parts);
    this.moderation = new Moderation(this.parts, this.membership);
    const refusalToPost = (userId: string) => this.moderation.refusalToPost(userId);
    this.sending = new Sending(this.parts, {
      refusalToPost,
      stored: (message) => this.stored(message),
      committed: () => this.roomList.changed(),
    });
    this.connecting = new Connecting(this.parts, this.membership, this.presence, this.receipts);
    this.editing = new Editing(this.parts, {
      changed: (_, last) => (last ? this.roomList.changed() : Promise.resolve()),
      moderated: (actorId, message) =>
        this.moderation.deletedByModerator(actorId, message.seq, message.userId),
      refusalToPost,
    });
    this.historyPages = new History(this.parts, this.receipts);
    this.sessionEnds = new SessionEnds(this.parts);
    // One alarm serves them all: typing expiry, sockets whose token expired, the summary flush.
    this.parts.alarms.register(this.typing);
    this.parts.alarms.register(this.sessionEnds);
    this.parts.alarms.register(this.roomList);
    this.frames = {
      message: (socket, frame) => this.sending.receiveFrame(socket, frame),
      typing: (socket, frame) => {
        // Someone who may not post (muted, blocked) does not show as typing either.
        if (!frame.typing || !refusalToPost(this.parts.sockets.state(socket).userId))
          this.typing.set(socket, frame.typing);
      },
      read: (socket, frame) => this.read(this.parts.sockets.state(socket).userId, frame.seq),
      ping: (socket) => sockets.send(socket, { type: "pong" }),
    };
    answerPingsWhileAsleep(ctx);
  }

  /** A new message is stored: tell everyone, and let each concern react. Nothing is sent before this. */
  private stored(message: Message): void {
    this.receipts.authored(message);
    const reached = this.parts.sockets.broadcast({ type: "message", message });
    for (const userId of reached) this.receipts.markDelivered(userId, message.seq);
    this.typing.stopFor(message.userId);
  }

  // ── What the Worker calls (REST and socket upgrades, with an identity it verified) ─────────────

  /** A verified member's upgrade, forwarded by the Worker as /connect?roomId&userId&sessionId&expiresAt[&since]. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const get = (name: string) => url.searchParams.get(name);
    const [roomId, userId, sessionId, expiresAt, since] = [
      "roomId",
      "userId",
      "sessionId",
      "expiresAt",
      "since",
    ].map(get);
    if (url.pathname !== "/connect" || !roomId || !userId || !sessionId || !expiresAt)
      return new Response("bad internal request", { status: 400 });
    this.enter(roomId);
    const resumeFrom = since === null || since === undefined ? null : Number(since);
    const arrival = { roomId, userId, sessionId, expiresAt: Number(expiresAt), since: resumeFrom };
    const answer = await this.connecting.connect(arrival);
    if (answer.status === 101) this.ctx.waitUntil(this.parts.alarms.schedule()); // its token's expiry
    return answer;
  }

  async sendMessage(caller: Caller, body: string, clientId?: string): Promise<Outcome<Stored>> {
    this.enter(caller.roomId);
    return this.sending.post(caller, body, clientId);
  }

  async editMessage(caller: Caller, seq: number, body: string): Promise<Outcome<Message>> {
    this.enter(caller.roomId);
    return this.editing.edit(caller, seq, body);
  }

  async deleteMessage(caller: Caller, seq: number): Promise<Outcome<Message>> {
    this.enter(caller.roomId);
    return this.editing.delete(caller, seq);
  }

  /** Moves the caller's read marker forward (never back, never past the last message). */
  async markRead(caller: Caller, seq: number): Promise<void> {
    this.enter(caller.roomId);
    await this.read(caller.userId, seq);
  }

  async history(caller: Caller, query: HistoryQuery): Promise<Page> {
    this.enter(caller.roomId);
    return this.historyPages.page(caller, query);
  }

  /** Someone joined, was added, changed role or profile, left or was removed: members' lists follow. */
  async memberChanged(roomId: string, member: MemberInfo, change: MemberChange): Promise<void> {
    this.enter(roomId);
    await this.membership.find(roomId, member.userId); // the list is loaded before it changes
    this.membership.changed(member, change);
  }

  /** A member was removed (or left): their sockets to this room close at once. */
  async disconnectMember(userId: string, reason = "You are no longer a member of this room."): Promise<void> {
    this.sending.commit();
    this.membership.removed(userId, reason);
  }

  /** An owner or admin acted (the Worker checked their role): the room records, enforces and tells. */
  async moderate(caller: Caller, action: ModerationAction): Promise<void> {
    this.enter(caller.roomId);
    await this.membership.find(caller.roomId, caller.userId);
    this.moderation.apply(caller, action);
  }

  /** What owners and admins may look at: bans, mutes, reports, the audit log. */
  async moderationView(caller: Caller, query: ModerationQuery): Promise<ModerationView> {
    this.enter(caller.roomId);
    return this.moderation.view(query);
  }

  async reportMessage(caller: Caller, seq: number, reason: string): Promise<Outcome<Report>> {
    this.enter(caller.roomId);
    await this.membership.find(caller.roomId, caller.userId);
    return this.moderation.report(caller, seq, reason);
  }

  /** These sign-in sessions of this user ended: their sockets here close with 4001. */
  async endSessions(userId: string, match: SessionMatch): Promise<number> {
    this.sending.commit();
    return this.sessionEnds.ended(userId, match);
  }

  /** The room was deleted: close every socket and forget everything. */
  async destroy(): Promise<void> {
    this.membership.deleted();
    this.receipts.stop();
    this.sending.discard(); // never confirmed: the room is gone
    await this.parts.alarms.stop();
    // Start over empty: a late frame from a closing socket finds no room and is ignored.
    await this.parts.store.erase();
  }

  // ── Socket events and the alarm (the object may have just woken from hibernation) ─────────────

  override async webSocketMessage(socket: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const parsed = parseClientFrame(data);
    if (!("frame" in parsed)) return void this.parts.sockets.send(socket, { type: "error", ...parsed });
    if (!this.parts.store.meta.get("roomId")) return; // the room was deleted under this socket
    const { frame } = parsed;
    if (frame.type !== "message") this.sending.commit(); // everything else sees every message so far
    await (this.frames[frame.type] as (socket: WebSocket, frame: ClientFrame) => unknown)(socket, frame);
  }

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    this.sending.commit();
    completeClose(socket, code, reason);
    this.left(socket);
  }

  override async webSocketError(socket: WebSocket): Promise<void> {
    this.left(socket);
  }

  override async alarm(): Promise<void> {
    this.sending.commit();
    await this.parts.alarms.ring();
  }

  // ── Inside the room ───────────────────────────────────────────────────────────────────────────

  /** Every call from the Worker: learn the room's id, and see every message received before it. */
  private enter(roomId: string): void {
    this.parts.store.meta.set("roomId", roomId);
    this.sending.commit();
  }

  private async read(userId: string, seq: number): Promise<void> {
    if (this.receipts.markRead(userId, seq)) await this.roomList.changed();
  }

  private left(socket: WebSocket): void {
    const { userId } = this.parts.sockets.state(socket);
    const others = this.parts.sockets.open(userId).filter((other) => other !== socket);
    this.typing.closed(socket);
    this.presence.left(userId, others);
    this.membership.closed(this.parts.sockets.held().filter((other) => other !== socket).length);
  }
}
