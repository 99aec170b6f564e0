import { UNSENT_ATTACHMENT_MS } from "../media/settings";
import { MAX_ATTACHMENTS_PER_MESSAGE } from "../protocol/limits";
import type { Attachment } from "../protocol/messages";
import type { AlarmTask } from "./alarms";
import { type Caller, done, type Outcome, type Refusal, refuse } from "./api";
import type { RoomParts } from "./parts";
import type { AttachmentRow, CompletedUpload } from "./store";
import { keysOf } from "./store/attachments";

// A room's files. The Worker streams an upload's bytes to R2 (media/upload.ts); the room decides
// who may upload, keeps the metadata, hands it to the message that sends it, and removes files
// nobody will see again: an upload no message took within a day (an alarm task), a deleted
// message's files, and all of them when the room is deleted.

export class Attachments implements AlarmTask {
  /** When the oldest unsent upload falls due (ms); undefined until read from SQLite after waking. */
  private nextSweep: number | null | undefined;

  constructor(
    private readonly parts: RoomParts,
    private readonly refusalToPost: (userId: string) => string | null,
  ) {}

  /** An upload begins: it is recorded first, so that even an abandoned one is found and removed. */
  reserve(caller: Caller, name: string): Outcome<{ id: string }> {
    const refusal = this.refusalToPost(caller.userId);
    if (refusal) return refuse("forbidden", refusal);
    const id = crypto.randomUUID();
    const now = Date.now();
    this.parts.store.attachments.reserve(id, caller.userId, name, now);
    const due = now + UNSENT_ATTACHMENT_MS;
    if (this.nextSweep === undefined) this.nextSweep = this.oldestDue();
    else this.nextSweep = Math.min(this.nextSweep ?? due, due);
    this.parts.ctx.waitUntil(this.parts.alarms.schedule());
    return done({ id });
  }

  /** R2 has the bytes: the upload is ready to be sent. */
  complete(caller: Caller, id: string, upload: CompletedUpload): Outcome<Attachment> {
    const row = this.parts.store.attachments.get(id);
    if (!row || row.uploader_id !== caller.userId) return refuse("not_found", "No such upload.");
    const completed = this.parts.store.attachments.complete(id, upload);
    if (!completed) return refuse("not_found", "No such upload.");
    return done(this.parts.store.attachments.present(completed));
  }

  /** The files a draft names: the author's own completed uploads that no message has taken. */
  forDraft(userId: string, ids: string[]): AttachmentRow[] | Refusal {
    if (ids.length > MAX_ATTACHMENTS_PER_MESSAGE)
      return refuse(
        "invalid_request",
        `attachmentIds: at most ${MAX_ATTACHMENTS_PER_MESSAGE} files a message.`,
      );
    if (new Set(ids).size !== ids.length)
      return refuse("invalid_request", "attachmentIds: a file is named twice.");
    const rows = this.parts.store.attachments.some(ids);
    for (const id of ids) {
      const row = rows.find((candidate) => candidate.id === id);
      if (!row || row.uploader_id !== userId || !row.completed)
        return refuse("invalid_request", `attachmentIds: ${id} is not an upload of yours in this room.`);
      if (row.seq !== null) return refuse("invalid_request", `attachmentIds: ${id} was already sent.`);
    }
    return rows;
  }

  /** A message was deleted: its files go, from SQLite now and from R2 in the background. */
  messageDeleted(seq: number): void {
    const rows = this.parts.store.attachments.removeOf(seq);
    if (rows.length > 0) this.parts.ctx.waitUntil(this.removeFiles(rows));
  }

  /** The room is being deleted: every file goes (before the room's SQLite is erased). */
  async roomDeleted(): Promise<void> {
    const keys = this.parts.store.attachments.allKeys();
    for (let start = 0; start < keys.length; start += 1000)
      await this.parts.env.FILES.delete(keys.slice(start, start + 1000));
    this.nextSweep = null;
  }

  due(): number | null {
    if (this.nextSweep === undefined) this.nextSweep = this.oldestDue();
    return this.nextSweep;
  }

  /** Removes the uploads no message took within a day. */
  async run(now: number): Promise<void> {
    const rows = this.parts.store.attachments.removeUnsentBefore(now - UNSENT_ATTACHMENT_MS);
    this.nextSweep = this.oldestDue();
    await this.removeFiles(rows);
  }

  private oldestDue(): number | null {
    const oldest = this.parts.store.attachments.oldestUnsent();
    return oldest === null ? null : oldest + UNSENT_ATTACHMENT_MS;
  }

  private async removeFiles(rows: AttachmentRow[]): Promise<void> {
    const roomId = this.parts.store.meta.get("roomId");
    if (!roomId || rows.length === 0) return;
    await this.parts.env.FILES.delete(keysOf(roomId, rows));
  }
}
