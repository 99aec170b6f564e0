import type { UrlSigner } from "../../media/signed-urls";
import { AttachmentStore } from "./attachments";
import { CallStore } from "./calls";
import { MemberStore } from "./members";
import { MentionStore } from "./mentions";
import { MessageStore } from "./messages";
import { RoomMeta } from "./meta";
import { migrate } from "./migrations";
import { ModerationStore } from "./moderation";
import { ReactionStore } from "./reactions";
import { ReceiptStore } from "./receipts";
import { SearchIndex } from "./search";

// A room's own SQLite (ctx.storage.sql), one store per kind of thing it keeps. The Room object is
// the single writer of this database, so every store may cache what it read.

export class RoomStore {
  readonly meta: RoomMeta;
  readonly messages: MessageStore;
  readonly receipts: ReceiptStore;
  readonly members: MemberStore;
  readonly moderation: ModerationStore;
  readonly reactions: ReactionStore;
  readonly mentions: MentionStore;
  readonly search: SearchIndex;
  readonly calls: CallStore;
  readonly attachments: AttachmentStore;

  /** `signer` signs the URLs of files as messages are presented (null: unsigned paths, for tools). */
  constructor(
    private readonly storage: DurableObjectStorage,
    signer: UrlSigner | null = null,
  ) {
    migrate(storage);
    this.meta = new RoomMeta(storage.sql);
    const roomId = () => this.meta.get("roomId") ?? "";
    this.attachments = new AttachmentStore(storage.sql, roomId, signer);
    this.messages = new MessageStore(storage.sql, roomId, this.attachments);
    this.receipts = new ReceiptStore(storage.sql);
    this.members = new MemberStore(storage.sql);
    this.moderation = new ModerationStore(storage.sql);
    this.reactions = new ReactionStore(storage.sql);
    this.mentions = new MentionStore(storage.sql);
    this.search = new SearchIndex(storage.sql);
    this.calls = new CallStore(storage.sql);
  }

  /** Everything is gone (the room was deleted): start over with an empty schema and no caches. */
  async erase(): Promise<void> {
    await this.storage.deleteAll();
    migrate(this.storage);
    this.meta.forget();
    this.messages.forget();
    this.receipts.forget();
    this.members.forget();
    this.calls.forget();
  }
}

export type { AttachmentRow, CompletedUpload } from "./attachments";
export type { CurrentCall } from "./calls";
export type { NotifyLevel, RoomMember } from "./members";
export type { NewMessage, Page, PageAround, Stored, Timeline } from "./messages";
export type { AuditEntry, Ban, Mute, Report } from "./moderation";
export type { SearchCursor, SearchHit, SearchTerms } from "./search";
