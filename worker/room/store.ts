import type { Message, Receipt } from "../protocol";

// A room's own SQLite (ctx.storage.sql): its messages, keyed by seq, and its members' receipts.
// Calls are synchronous; a Durable Object runs one event at a time, so "read max(seq), insert seq+1"
// cannot interleave with another send. History is always read through the seq primary key.

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS messages (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     body TEXT NOT NULL,
     client_id TEXT,
     created_at INTEGER NOT NULL,
     edited_at INTEGER,
     deleted_at INTEGER
   )`,
  // A retried send (same author, same clientId) finds the first row instead of making a second.
  "CREATE UNIQUE INDEX IF NOT EXISTS messages_author_client ON messages (user_id, client_id) WHERE client_id IS NOT NULL",
  `CREATE TABLE IF NOT EXISTS receipts (
     user_id TEXT PRIMARY KEY,
     delivered_seq INTEGER NOT NULL DEFAULT 0,
     read_seq INTEGER NOT NULL DEFAULT 0,
     read_synced INTEGER NOT NULL DEFAULT 1
   )`,
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
];

type MessageRow = {
  seq: number;
  id: string;
  user_id: string;
  body: string;
  client_id: string | null;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export type Page = { messages: Message[]; hasMore: boolean };

export class RoomStore {
  constructor(private readonly sql: SqlStorage) {
    this.createSchema();
  }

  createSchema(): void {
    for (const statement of SCHEMA) this.sql.exec(statement);
  }

  private toMessage(roomId: string, row: MessageRow): Message {
    return {
      id: row.id,
      roomId,
      seq: row.seq,
      userId: row.user_id,
      body: row.body,
      clientId: row.client_id,
      createdAt: new Date(row.created_at).toISOString(),
      editedAt: iso(row.edited_at),
      deletedAt: iso(row.deleted_at),
    };
  }

  lastSeq(): number {
    return this.sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM messages").one().seq ?? 0;
  }

  message(roomId: string, seq: number): Message | null {
    const row = this.sql.exec<MessageRow>("SELECT * FROM messages WHERE seq = ?", seq).toArray()[0];
    return row ? this.toMessage(roomId, row) : null;
  }

  byClientId(roomId: string, userId: string, clientId: string): Message | null {
    const row = this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE user_id = ? AND client_id = ?", userId, clientId)
      .toArray()[0];
    return row ? this.toMessage(roomId, row) : null;
  }

  /** Stores a new message with the next seq. */
  append(roomId: string, userId: string, body: string, clientId: string | null): Message {
    const row: MessageRow = {
      seq: this.lastSeq() + 1,
      id: crypto.randomUUID(),
      user_id: userId,
      body,
      client_id: clientId,
      created_at: Date.now(),
      edited_at: null,
      deleted_at: null,
    };
    this.sql.exec(
      "INSERT INTO messages (seq, id, user_id, body, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      row.seq,
      row.id,
      row.user_id,
      row.body,
      row.client_id,
      row.created_at,
    );
    return this.toMessage(roomId, row);
  }

  edit(roomId: string, seq: number, body: string): Message | null {
    this.sql.exec("UPDATE messages SET body = ?, edited_at = ? WHERE seq = ?", body, Date.now(), seq);
    return this.message(roomId, seq);
  }

  /** A deleted message keeps its seq, with an empty body and deletedAt set. */
  tombstone(roomId: string, seq: number): Message | null {
    this.sql.exec(
      "UPDATE messages SET body = '', deleted_at = ? WHERE seq = ? AND deleted_at IS NULL",
      Date.now(),
      seq,
    );
    return this.message(roomId, seq);
  }

  /** Messages with seq > after, ascending, at most `limit`. */
  after(roomId: string, after: number, limit: number, before = Number.MAX_SAFE_INTEGER): Page {
    const rows = this.sql
      .exec<MessageRow>(
        "SELECT * FROM messages WHERE seq > ? AND seq < ? ORDER BY seq ASC LIMIT ?",
        after,
        before,
        limit + 1,
      )
      .toArray();
    const hasMore = rows.length > limit;
    return { messages: rows.slice(0, limit).map((row) => this.toMessage(roomId, row)), hasMore };
  }

  /** The `limit` messages just before `before` (the newest page without it), ascending. */
  before(roomId: string, before: number, limit: number): Page {
    const rows = this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?", before, limit + 1)
      .toArray();
    const hasMore = rows.length > limit;
    return {
      messages: rows
        .slice(0, limit)
        .reverse()
        .map((row) => this.toMessage(roomId, row)),
      hasMore,
    };
  }

  receipts(): Receipt[] {
    return this.sql
      .exec<{ user_id: string; delivered_seq: number; read_seq: number }>(
        "SELECT user_id, delivered_seq, read_seq FROM receipts",
      )
      .toArray()
      .map((row) => ({ userId: row.user_id, deliveredSeq: row.delivered_seq, readSeq: row.read_seq }));
  }

  receipt(userId: string): Receipt {
    const row = this.sql
      .exec<{ delivered_seq: number; read_seq: number }>(
        "SELECT delivered_seq, read_seq FROM receipts WHERE user_id = ?",
        userId,
      )
      .toArray()[0];
    return { userId, deliveredSeq: row?.delivered_seq ?? 0, readSeq: row?.read_seq ?? 0 };
  }

  /** Moves a member's markers forward (never back); returns true if either moved. */
  advance(userId: string, deliveredSeq: number, readSeq: number): boolean {
    const before = this.receipt(userId);
    const delivered = Math.max(before.deliveredSeq, deliveredSeq, readSeq);
    const read = Math.max(before.readSeq, readSeq);
    if (delivered === before.deliveredSeq && read === before.readSeq) return false;
    this.sql.exec(
      `INSERT INTO receipts (user_id, delivered_seq, read_seq, read_synced) VALUES (?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET delivered_seq = excluded.delivered_seq, read_seq = excluded.read_seq,
         read_synced = CASE WHEN excluded.read_seq > receipts.read_seq THEN 0 ELSE receipts.read_synced END`,
      userId,
      delivered,
      read,
      read > before.readSeq ? 0 : 1,
    );
    return true;
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

  markReadsSynced(reads: { userId: string; readSeq: number }[]): void {
    for (const read of reads) {
      this.sql.exec(
        "UPDATE receipts SET read_synced = 1 WHERE user_id = ? AND read_seq = ?",
        read.userId,
        read.readSeq,
      );
    }
  }

  getMeta(key: string): string | null {
    return (
      this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value ??
      null
    );
  }

  setMeta(key: string, value: string | null): void {
    if (value === null) this.sql.exec("DELETE FROM meta WHERE key = ?", key);
    else this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
  }
}
