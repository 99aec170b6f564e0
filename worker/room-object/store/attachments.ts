import { fileKey, filePath, thumbnailKey } from "../../media/keys";
import type { UrlSigner } from "../../media/signed-urls";
import type { Attachment } from "../../protocol/messages";

// A room's files, as metadata in its SQLite (the bytes are in R2, keyed by room and id). An upload
// is recorded before its bytes arrive (so a failed or abandoned one is still found and removed),
// completed when R2 has them, and claimed by the message that sends it (its seq). Rows whose seq
// stays null are removed after a day; a deleted message's rows go with it.

export type AttachmentRow = {
  id: string;
  uploader_id: string;
  name: string;
  content_type: string;
  size: number;
  width: number | null;
  height: number | null;
  has_thumbnail: number;
  created_at: number;
  completed: number;
  seq: number | null;
};

export type CompletedUpload = {
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  hasThumbnail: boolean;
};

export class AttachmentStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly roomId: () => string,
    private readonly signer: UrlSigner | null,
  ) {}

  reserve(id: string, uploaderId: string, name: string, at = Date.now()): void {
    this.sql.exec(
      "INSERT INTO attachments (id, uploader_id, name, content_type, size, created_at) VALUES (?, ?, ?, '', 0, ?)",
      id,
      uploaderId,
      name,
      at,
    );
  }

  complete(id: string, upload: CompletedUpload): AttachmentRow | null {
    this.sql.exec(
      `UPDATE attachments SET content_type = ?, size = ?, width = ?, height = ?, has_thumbnail = ?, completed = 1
       WHERE id = ? AND completed = 0`,
      upload.contentType,
      upload.size,
      upload.width,
      upload.height,
      upload.hasThumbnail ? 1 : 0,
      id,
    );
    return this.get(id);
  }

  get(id: string): AttachmentRow | null {
    return this.sql.exec<AttachmentRow>("SELECT * FROM attachments WHERE id = ?", id).toArray()[0] ?? null;
  }

  /** These uploads, in the order given (those that exist). */
  some(ids: string[]): AttachmentRow[] {
    if (ids.length === 0) return [];
    const rows = this.sql
      .exec<AttachmentRow>(`SELECT * FROM attachments WHERE id IN (${ids.map(() => "?").join(",")})`, ...ids)
      .toArray();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is AttachmentRow => row !== undefined);
  }

  /** A new message takes its files (in its own transaction, with its INSERT). */
  claim(rows: AttachmentRow[], seq: number): void {
    rows.forEach((row, position) => {
      this.sql.exec(
        "UPDATE attachments SET seq = ?, position = ? WHERE id = ? AND seq IS NULL",
        seq,
        position,
        row.id,
      );
      row.seq = seq;
    });
  }

  /** The files of these messages, by seq, in the order they were attached. */
  ofMessages(seqs: number[]): Map<number, AttachmentRow[]> {
    const [low, high] = [Math.min(...seqs), Math.max(...seqs)];
    const wanted = new Set(seqs);
    const rows = this.sql
      .exec<AttachmentRow>(
        "SELECT * FROM attachments WHERE seq BETWEEN ? AND ? ORDER BY seq, position",
        low,
        high,
      )
      .toArray();
    const bySeq = new Map<number, AttachmentRow[]>();
    for (const row of rows) {
      if (row.seq === null || !wanted.has(row.seq)) continue;
      const list = bySeq.get(row.seq) ?? [];
      list.push(row);
      bySeq.set(row.seq, list);
    }
    return bySeq;
  }

  /** Removes the rows of a deleted message; returns them (their R2 objects are to go too). */
  removeOf(seq: number): AttachmentRow[] {
    return this.sql.exec<AttachmentRow>("DELETE FROM attachments WHERE seq = ? RETURNING *", seq).toArray();
  }

  /** Removes uploads no message took before `cutoff` (ms); returns them. */
  removeUnsentBefore(cutoff: number, limit = 500): AttachmentRow[] {
    return this.sql
      .exec<AttachmentRow>(
        `DELETE FROM attachments WHERE id IN
           (SELECT id FROM attachments WHERE seq IS NULL AND created_at < ? ORDER BY created_at LIMIT ?)
         RETURNING *`,
        cutoff,
        limit,
      )
      .toArray();
  }

  /** When the oldest upload no message took was made (ms), or null. */
  oldestUnsent(): number | null {
    return (
      this.sql
        .exec<{ at: number | null }>("SELECT min(created_at) AS at FROM attachments WHERE seq IS NULL")
        .one().at ?? null
    );
  }

  /** Every R2 key of this room's files (for deleting the room). */
  allKeys(): string[] {
    const roomId = this.roomId();
    return this.sql
      .exec<{ id: string }>("SELECT id FROM attachments")
      .toArray()
      .flatMap((row) => [fileKey(roomId, row.id), thumbnailKey(roomId, row.id)]);
  }

  /** A row as the API's Attachment, with freshly signed URLs. */
  present(row: AttachmentRow, now = Date.now()): Attachment {
    const roomId = this.roomId();
    const sign = (key: string) => (this.signer ? this.signer.sign(filePath(key), now) : filePath(key));
    return {
      id: row.id,
      name: row.name,
      contentType: row.content_type,
      size: row.size,
      width: row.width,
      height: row.height,
      url: sign(fileKey(roomId, row.id)),
      thumbnailUrl: row.has_thumbnail ? sign(thumbnailKey(roomId, row.id)) : null,
    };
  }

  /** A URL signed like the attachments' (a link preview's image). */
  signed(key: string, now = Date.now()): string {
    return this.signer ? this.signer.sign(filePath(key), now) : filePath(key);
  }
}

export function keysOf(roomId: string, rows: AttachmentRow[]): string[] {
  return rows.flatMap((row) => [fileKey(roomId, row.id), thumbnailKey(roomId, row.id)]);
}
