import type { Receipt } from "../../protocol/frames";

// Each member's markers in this room: how far messages reached one of their devices (delivered) and
// how far they have read. Read markers are mirrored to D1 in batches (read_synced says which are).

export class ReceiptStore {
  // A cache of the table (one row per member who ever received or read anything), so moving a
  // marker costs no SELECT. Delivery markers that moved only in memory are listed in `unsaved`.
  private cache: Map<string, Receipt> | null = null;
  private readonly unsaved = new Set<string>();

  constructor(private readonly sql: SqlStorage) {}

  forget(): void {
    this.cache = null;
    this.unsaved.clear();
  }

  private map(): Map<string, Receipt> {
    this.cache ??= new Map(
      this.sql
        .exec<{ user_id: string; delivered_seq: number; read_seq: number }>(
          "SELECT user_id, delivered_seq, read_seq FROM receipts",
        )
        .toArray()
        .map((row) => [
          row.user_id,
          { userId: row.user_id, deliveredSeq: row.delivered_seq, readSeq: row.read_seq },
        ]),
    );
    return this.cache;
  }

  all(): Receipt[] {
    return [...this.map().values()].map((receipt) => ({ ...receipt }));
  }

  of(userId: string): Receipt {
    const known = this.map().get(userId);
    return known ? { ...known } : { userId, deliveredSeq: 0, readSeq: 0 };
  }

  /**
   * Moves the delivery marker forward (never back); true if it moved. It stays in memory until
   * `saveDelivered()`: it is advisory, it moves with every message, and a write of its own would
   * cost a commit per message.
   */
  deliveredUpTo(userId: string, seq: number): boolean {
    const before = this.of(userId);
    if (seq <= before.deliveredSeq) return false;
    this.map().set(userId, { ...before, deliveredSeq: seq });
    this.unsaved.add(userId);
    return true;
  }

  /** Moves the read marker (and the delivery marker with it) forward, written at once; true if it moved. */
  readUpTo(userId: string, seq: number): boolean {
    const before = this.of(userId);
    const delivered = Math.max(before.deliveredSeq, seq);
    const read = Math.max(before.readSeq, seq);
    if (delivered === before.deliveredSeq && read === before.readSeq) return false;
    this.unsaved.delete(userId);
    this.sql.exec(
      `INSERT INTO receipts (user_id, delivered_seq, read_seq, read_synced) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET delivered_seq = excluded.delivered_seq, read_seq = excluded.read_seq,
         read_synced = CASE WHEN excluded.read_seq > receipts.read_seq THEN 0 ELSE receipts.read_synced END`,
      userId,
      delivered,
      read,
      read > before.readSeq ? 0 : 1,
    );
    this.map().set(userId, { userId, deliveredSeq: delivered, readSeq: read });
    return true;
  }

  /** Writes the delivery markers that moved in memory only. */
  saveDelivered(): void {
    for (const userId of this.unsaved) {
      const { deliveredSeq, readSeq } = this.of(userId);
      this.sql.exec(
        `INSERT INTO receipts (user_id, delivered_seq, read_seq) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET delivered_seq = excluded.delivered_seq`,
        userId,
        deliveredSeq,
        readSeq,
      );
    }
    this.unsaved.clear();
  }

  /** Read markers not yet mirrored to D1. */
  unsyncedReads(): { userId: string; readSeq: number }[] {
    return this.sql
      .exec<{ user_id: string; read_seq: number }>(
        "SELECT user_id, read_seq FROM receipts WHERE read_synced = 0",
      )
      .toArray()
      .map((row) => ({ userId: row.user_id, readSeq: row.read_seq }));
  }

  /** Marks these reads as mirrored, unless the marker moved again meanwhile. */
  markSynced(reads: { userId: string; readSeq: number }[]): void {
    for (const read of reads) {
      this.sql.exec(
        "UPDATE receipts SET read_synced = 1 WHERE user_id = ? AND read_seq = ?",
        read.userId,
        read.readSeq,
      );
    }
  }
}
