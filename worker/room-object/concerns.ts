import { urlSigner } from "../media/signed-urls";
import type { RoomFrame } from "../protocol/frames";
import type { Message } from "../protocol/messages";
import { Connections } from "../sockets/connections";
import { AlarmClock } from "./alarms";
import { Attachments } from "./attachments";
import { Calls } from "./calls";
import { Composing } from "./composing";
import { Connecting } from "./connecting";
import { Editing } from "./editing";
import { History } from "./history";
import { LinkPreviews } from "./link-previews";
import { Membership } from "./membership";
import { Mentions } from "./mentions";
import { Moderation } from "./moderation";
import type { RoomParts, SocketState } from "./parts";
import { Pins } from "./pins";
import { Presence } from "./presence";
import { Reactions } from "./reactions";
import { Receipts } from "./receipts";
import { RoomListSync } from "./room-list-sync";
import { Search } from "./search";
import { Sending } from "./sending";
import { SessionEnds } from "./sessions";
import { RoomStore } from "./store";
import { Threads } from "./threads";
import { Typing } from "./typing";

// Where a room's concerns meet. Each concern is a small module that knows one thing; this file
// makes one of each and says what each one tells the others, so the whole path of a message fits
// on a screen: `stored` below is everything that happens once a new message has its seq.
//
// Adding a concern: a module, one line to make it here, and the lines where it hears from the others.

export class RoomConcerns {
  readonly parts: RoomParts;
  readonly membership: Membership;
  readonly moderation: Moderation;
  readonly receipts: Receipts;
  readonly roomList: RoomListSync;
  readonly typing: Typing;
  readonly presence: Presence;
  readonly composing: Composing;
  readonly sending: Sending;
  readonly connecting: Connecting;
  readonly editing: Editing;
  readonly history: History;
  readonly sessionEnds: SessionEnds;
  readonly reactions: Reactions;
  readonly threads: Threads;
  readonly mentions: Mentions;
  readonly pins: Pins;
  readonly search: Search;
  readonly calls: Calls;
  readonly attachments: Attachments;
  readonly linkPreviews: LinkPreviews;

  constructor(ctx: DurableObjectState, env: Env) {
    const parts: RoomParts = {
      ctx,
      env,
      store: new RoomStore(ctx.storage, urlSigner(env)),
      sockets: new Connections<SocketState, RoomFrame>(ctx),
      alarms: new AlarmClock(ctx.storage),
    };
    this.parts = parts;
    this.membership = new Membership(parts);
    this.moderation = new Moderation(parts, this.membership);
    const refusalToPost = (userId: string) => this.moderation.refusalToPost(userId);
    this.roomList = new RoomListSync(parts, (userId, seq) => this.receipts.markDelivered(userId, seq));
    this.receipts = new Receipts(parts, () => this.roomList.pending());
    this.typing = new Typing(parts);
    this.presence = new Presence(parts);
    this.attachments = new Attachments(parts, refusalToPost);
    this.linkPreviews = new LinkPreviews(parts);
    this.composing = new Composing(parts, (userId, ids) => this.attachments.forDraft(userId, ids));
    this.threads = new Threads(parts);
    this.mentions = new Mentions(parts);
    this.sending = new Sending(parts, {
      refusalToPost,
      prepare: (userId, draft) => this.composing.prepare({ userId }, draft),
      stored: (message) => this.stored(message),
      committed: () => {
        this.receipts.committed();
        return this.roomList.changed();
      },
    });
    this.calls = new Calls(parts, {
      refusalToJoin: refusalToPost,
      posted: (message) => {
        this.stored(message);
        parts.ctx.waitUntil(this.roomList.changed());
      },
    });
    this.connecting = new Connecting(parts, this.membership, this.presence, this.receipts, this.calls);
    this.editing = new Editing(parts, {
      changed: (message, last) => this.changed(message, last),
      moderated: (actorId, message) =>
        this.moderation.deletedByModerator(actorId, message.seq, message.userId),
      refusalToPost,
      mentionsIn: (authorId, body) => this.composing.mentionsIn(authorId, body),
    });
    this.history = new History(parts, this.receipts);
    this.sessionEnds = new SessionEnds(parts);
    this.reactions = new Reactions(parts, refusalToPost);
    this.pins = new Pins(parts);
    this.search = new Search(parts); // kept in step with messages by the store's own triggers: no hooks
    // One alarm serves them all: typing expiry, sockets whose token expired, the summary flush,
    // a call that rang unanswered.
    parts.alarms.register(this.typing);
    parts.alarms.register(this.sessionEnds);
    parts.alarms.register(this.roomList);
    parts.alarms.register(this.calls);
    parts.alarms.register(this.attachments); // uploads no message took within a day
  }

  /** Moves a member's read marker forward (never back, never past the last message). */
  async read(userId: string, seq: number): Promise<void> {
    if (this.receipts.markRead(userId, seq)) await this.roomList.changed();
  }

  /** A socket closed or failed: it stops typing, leaves its call, and its person may go offline. */
  socketLeft(socket: WebSocket): void {
    const { sockets } = this.parts;
    const { userId } = sockets.state(socket);
    const others = sockets.open(userId).filter((other) => other !== socket);
    this.typing.closed(socket);
    this.calls.closed(socket);
    this.presence.left(userId, others);
    this.membership.closed(sockets.held().filter((other) => other !== socket).length);
  }

  /** A new message is stored: tell everyone, and let each concern react. Nothing is sent before this. */
  private stored(message: Message): void {
    this.receipts.authored(message);
    const reached = this.parts.sockets.broadcast({ type: "message", message });
    for (const userId of reached) this.receipts.markDelivered(userId, message.seq);
    this.typing.stopFor(message.userId);
    this.threads.replied(message);
    if (message.mentions.length > 0) this.parts.ctx.waitUntil(this.mentions.mentioned(message));
    this.linkPreviews.stored(message); // fetched in the background, after the broadcast
  }

  /** A message was edited or deleted (`last`: it is the newest, whose preview the room list shows). */
  private async changed(message: Message, last: boolean): Promise<void> {
    if (message.deletedAt) this.mentions.deleted(message);
    if (message.deletedAt) this.attachments.messageDeleted(message.seq);
    if (last || message.deletedAt) await this.roomList.changed(); // a deletion may change mention counts
  }
}
