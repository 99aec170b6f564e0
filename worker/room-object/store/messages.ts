import type { CallSummary } from "../../protocol/calls";
import {
  type Attachment,
  type LinkPreview,
  type Message,
  QUOTE_CHARS,
  type Reaction,
} from "../../protocol/messages";
import type { AttachmentRow, AttachmentStore } from "./attachments";

// A room's messages, keyed by seq, in its own SQLite. Calls are synchronous and a Durable Object
// runs one event at a time, so "read max(seq), insert seq+1" cannot interleave with another send.
// History is always read through the seq primary key (or the partial indexes of the main timeline
// and of each thread).
//
// A thread reply has its own room seq like any message (so resume, receipts and idempotency are
// unchanged) and names its root in thread_seq; the main timeline leaves replies out and numbers its
// own messages (main_ordinal), which is what unread counts count. A root keeps its thread counters.
//
// Every write of a body here (append, edit, tombstone) also updates the search index: triggers of
// migration 0005_search do it in the same statement (see ./search.ts for why triggers).

type MessageRow = {
  seq: number;
  id: string;
  user_id: string;
  body: string;
  client_id: string | null;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  kind: "text" | "call";
  thread_seq: number | null;
  reply_to_seq: number | null;
  mentions: string | null;
  pinned_at: number | null;
  pinned_by: string | null;
  reply_count: number;
  last_reply_at: number | null;
  thread_participants: string | null;
  main_ordinal: number | null;
  /** A call message's summary (JSON); absent from the rows `append` makes, which are text. */
  call_summary?: string | null;
  attachment_count: number;
  link_preview: string | null;
};

/** What a link_preview column holds: the card (its image as an R2 key, signed when presented). */
export type StoredLinkPreview = Omit<LinkPreview, "imageUrl"> & { imageKey: string | null };
export const REMOVED_PREVIEW = "removed";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function quote(body: string): string {
  const characters = Array.from(body);
  return characters.length <= QUOTE_CHARS ? body : characters.slice(0, QUOTE_CHARS).join("");
}

export type Page = { messages: Message[]; hasMore: boolean };
export type PageAround = { messages: Message[]; hasMoreBefore: boolean; hasMoreAfter: boolean };
export type Stored = { message: Message; created: boolean };
export type NewMessage = {
  userId: string;
  body: string;
  clientId: string | null;
  threadSeq?: number | null;
  replyToSeq?: number | null;
  mentions?: string[];
  /** Completed uploads of its author that no message has taken yet (checked by Composing). */
  attachments?: AttachmentRow[];
};

/** Which messages a page holds: the main timeline, one thread, or everything (a resume). */
export type Timeline = { thread: number } | "main" | "all";

function where(timeline: Timeline): string {
  if (timeline === "all") return "";
  if (timeline === "main") return "AND thread_seq IS NULL";
  return `AND thread_seq = ${Number(timeline.thread)}`;
}

export class MessageStore {
  // The last seq and the last main ordinal are cached: the hot path of a message then runs one
  // statement, its INSERT. Every SQLite statement costs far more than a field read (about
  // 0.1–0.4 ms each in local workerd, measured by bench/), and only this object writes its SQLite.
  private cachedLastSeq: number | null = null;
  private cachedMainCount: number | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly roomId: () => string,
    private readonly files: AttachmentStore,
  ) {}

  forget(): void {
    this.cachedLastSeq = null;
    this.cachedMainCount = null;
  }

  lastSeq(): number {
    this.cachedLastSeq ??=
      this.sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM messages").one().seq ?? 0;
    return this.cachedLastSeq;
  }

  /** How many messages the main timeline holds (thread replies left out). */
  mainCount(): number {
    this.cachedMainCount ??=
      this.sql.exec<{ n: number | null }>("SELECT max(main_ordinal) AS n FROM messages").one().n ?? 0;
    return this.cachedMainCount;
  }

  /** How many main-timeline messages have a seq up to `seq` (what someone who read up to it has read). */
  mainCountUpTo(seq: number): number {
    const row = this.sql
      .exec<{ n: number | null }>(
        "SELECT main_ordinal AS n FROM messages WHERE seq <= ? AND thread_seq IS NULL ORDER BY seq DESC LIMIT 1",
        seq,
      )
      .toArray()[0];
    return row?.n ?? 0;
  }

  /** The newest message of the main timeline (the room list's preview), or null. */
  lastMain(): Message | null {
    const row = this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE thread_seq IS NULL ORDER BY seq DESC LIMIT 1")
      .toArray()[0];
    return row ? (this.present([row])[0] ?? null) : null;
  }

  get(seq: number): Message | null {
    const row = this.sql.exec<MessageRow>("SELECT * FROM messages WHERE seq = ?", seq).toArray()[0];
    return row ? (this.present([row])[0] ?? null) : null;
  }

  /** These messages, in the order asked (seqs that do not exist are left out). */
  bySeqs(seqs: number[]): Message[] {
    const rows: MessageRow[] = [];
    // SQLite in workerd takes at most 100 bound variables per statement.
    for (let start = 0; start < seqs.length; start += 90) {
      const chunk = seqs.slice(start, start + 90);
      const query = `SELECT * FROM messages WHERE seq IN (${chunk.map(() => "?").join(",")})`;
      rows.push(...this.sql.exec<MessageRow>(query, ...chunk).toArray());
    }
    const bySeq = new Map(this.present(rows).map((message) => [message.seq, message]));
    return seqs.map((seq) => bySeq.get(seq)).filter((message): message is Message => message !== undefined);
  }

  byClientId(userId: string, clientId: string): Message | null {
    const row = this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE user_id = ? AND client_id = ?", userId, clientId)
      .toArray()[0];
    return row ? (this.present([row])[0] ?? null) : null;
  }

  /**
   * Stores a new message with the next seq, or returns the one this author already stored under
   * this clientId. The unique index decides (no SELECT first on the hot path). A reply in a thread
   * also moves its root's counters.
   */
  append(message: NewMessage): Stored {
    const threadSeq = message.threadSeq ?? null;
    const row: MessageRow = {
      seq: this.lastSeq() + 1,
      id: crypto.randomUUID(),
      user_id: message.userId,
      body: message.body,
      client_id: message.clientId,
      created_at: Date.now(),
      edited_at: null,
      deleted_at: null,
      kind: "text",
      thread_seq: threadSeq,
      reply_to_seq: message.replyToSeq ?? null,
      mentions: message.mentions?.length ? JSON.stringify(message.mentions) : null,
      pinned_at: null,
      pinned_by: null,
      reply_count: 0,
      last_reply_at: null,
      thread_participants: null,
      main_ordinal: threadSeq === null ? this.mainCount() + 1 : null,
      attachment_count: message.attachments?.length ?? 0,
      link_preview: null,
    };
    const cursor = this.sql.exec(
      `INSERT INTO messages (seq, id, user_id, body, client_id, created_at, thread_seq, reply_to_seq, mentions, main_ordinal, attachment_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, client_id) WHERE client_id IS NOT NULL DO NOTHING`,
      row.seq,
      row.id,
      row.user_id,
      row.body,
      row.client_id,
      row.created_at,
      row.thread_seq,
      row.reply_to_seq,
      row.mentions,
      row.main_ordinal,
      row.attachment_count,
    );
    if (cursor.rowsWritten > 0) {
      this.cachedLastSeq = row.seq;
      if (row.main_ordinal !== null) this.cachedMainCount = row.main_ordinal;
      if (threadSeq !== null) this.countReply(threadSeq, row.user_id, row.created_at);
      // A new message has no reactions yet; only a quote needs a lookup.
      const replyTo = row.reply_to_seq === null ? new Map() : this.quotes([row.reply_to_seq]);
      // Only a message with files pays for them: one UPDATE per file, in the same transaction.
      const files = message.attachments?.length ? new Map([[row.seq, message.attachments]]) : new Map();
      if (message.attachments?.length) this.files.claim(message.attachments, row.seq);
      return { message: this.toMessage(row, new Map(), replyTo, files), created: true };
    }
    const first = message.clientId ? this.byClientId(message.userId, message.clientId) : null;
    if (!first) throw new Error("a message was refused without a stored one under its clientId");
    return { message: first, created: false };
  }

  /** The message that says a call happened: empty body, kind "call", its summary; by whoever started it. */
  appendCall(userId: string, call: CallSummary): Message {
    const row: MessageRow = {
      seq: this.lastSeq() + 1,
      id: crypto.randomUUID(),
      user_id: userId,
      body: "",
      client_id: null,
      created_at: Date.parse(call.endedAt),
      edited_at: null,
      deleted_at: null,
      kind: "call",
      thread_seq: null,
      reply_to_seq: null,
      mentions: null,
      pinned_at: null,
      pinned_by: null,
      reply_count: 0,
      last_reply_at: null,
      thread_participants: null,
      main_ordinal: this.mainCount() + 1,
      call_summary: JSON.stringify(call),
      attachment_count: 0,
      link_preview: null,
    };
    this.sql.exec(
      `INSERT INTO messages (seq, id, user_id, body, client_id, created_at, kind, main_ordinal, call_summary)
       VALUES (?, ?, ?, '', NULL, ?, 'call', ?, ?)`,
      row.seq,
      row.id,
      row.user_id,
      row.created_at,
      row.main_ordinal,
      row.call_summary,
    );
    this.cachedLastSeq = row.seq;
    this.cachedMainCount = row.main_ordinal;
    return this.toMessage(row, new Map(), new Map(), new Map());
  }

  private countReply(rootSeq: number, userId: string, at: number): void {
    const root = this.sql
      .exec<{ thread_participants: string | null }>(
        "SELECT thread_participants FROM messages WHERE seq = ?",
        rootSeq,
      )
      .toArray()[0];
    const participants = root?.thread_participants ? (JSON.parse(root.thread_participants) as string[]) : [];
    if (!participants.includes(userId)) participants.push(userId);
    this.sql.exec(
      "UPDATE messages SET reply_count = reply_count + 1, last_reply_at = ?, thread_participants = ? WHERE seq = ?",
      at,
      JSON.stringify(participants),
      rootSeq,
    );
  }

  edit(seq: number, body: string, mentions: string[]): Message | null {
    this.sql.exec(
      "UPDATE messages SET body = ?, edited_at = ?, mentions = ? WHERE seq = ?",
      body,
      Date.now(),
      mentions.length ? JSON.stringify(mentions) : null,
      seq,
    );
    return this.get(seq);
  }

  /** A deleted message keeps its seq, with an empty body and deletedAt set; its reactions, files and card go. */
  tombstone(seq: number): Message | null {
    this.sql.exec(
      "UPDATE messages SET body = '', mentions = NULL, attachment_count = 0, link_preview = NULL, deleted_at = ? WHERE seq = ? AND deleted_at IS NULL",
      Date.now(),
      seq,
    );
    this.sql.exec("DELETE FROM reactions WHERE seq = ?", seq);
    return this.get(seq);
  }

  /** A message's link card: set once fetched (unless removed meanwhile), or removed by its author. */
  setLinkPreview(seq: number, preview: StoredLinkPreview | typeof REMOVED_PREVIEW): Message | null {
    const value = preview === REMOVED_PREVIEW ? REMOVED_PREVIEW : JSON.stringify(preview);
    const guard = preview === REMOVED_PREVIEW ? "" : "AND link_preview IS NULL";
    const cursor = this.sql.exec(
      `UPDATE messages SET link_preview = ? WHERE seq = ? AND deleted_at IS NULL ${guard}`,
      value,
      seq,
    );
    return cursor.rowsWritten > 0 ? this.get(seq) : null;
  }

  pin(seq: number, by: string | null): Message | null {
    this.sql.exec(
      "UPDATE messages SET pinned_at = ?, pinned_by = ? WHERE seq = ?",
      by === null ? null : Date.now(),
      by,
      seq,
    );
    return this.get(seq);
  }

  /** Pinned messages, newest pin first. */
  pinned(limit = 100): Message[] {
    return this.present(
      this.sql
        .exec<MessageRow>(
          "SELECT * FROM messages WHERE pinned_at IS NOT NULL ORDER BY pinned_at DESC LIMIT ?",
          limit,
        )
        .toArray(),
    );
  }

  /** Messages with after < seq < before, ascending, at most `limit`. */
  after(after: number, limit: number, before = Number.MAX_SAFE_INTEGER, timeline: Timeline = "main"): Page {
    const rows = this.sql
      .exec<MessageRow>(
        `SELECT * FROM messages WHERE seq > ? AND seq < ? ${where(timeline)} ORDER BY seq ASC LIMIT ?`,
        after,
        before,
        limit + 1,
      )
      .toArray();
    return { messages: this.present(rows.slice(0, limit)), hasMore: rows.length > limit };
  }

  /** The `limit` messages just before `before` (the newest page without it), ascending. */
  before(before: number, limit: number, timeline: Timeline = "main"): Page {
    const rows = this.sql
      .exec<MessageRow>(
        `SELECT * FROM messages WHERE seq < ? ${where(timeline)} ORDER BY seq DESC LIMIT ?`,
        before,
        limit + 1,
      )
      .toArray();
    return { messages: this.present(rows.slice(0, limit).reverse()), hasMore: rows.length > limit };
  }

  /** A page of the main timeline centred on `seq` (which is included if it is there). */
  around(seq: number, limit: number): PageAround {
    const older = Math.floor((limit - 1) / 2);
    const before = this.before(seq, older);
    const after = this.after(seq - 1, limit - before.messages.length);
    return {
      messages: [...before.messages, ...after.messages],
      hasMoreBefore: before.hasMore,
      hasMoreAfter: after.hasMore,
    };
  }

  // ── Presenting rows as the API's messages ──

  private present(rows: MessageRow[]): Message[] {
    if (rows.length === 0) return [];
    const reactions = this.reactionsOf(rows.map((row) => row.seq));
    const quoted = rows.map((row) => row.reply_to_seq).filter((seq): seq is number => seq !== null);
    const quotes = quoted.length ? this.quotes(quoted) : new Map();
    const withFiles = rows.filter((row) => row.attachment_count > 0).map((row) => row.seq);
    const files = withFiles.length ? this.files.ofMessages(withFiles) : new Map();
    return rows.map((row) => this.toMessage(row, reactions, quotes, files));
  }

  private toMessage(
    row: MessageRow,
    reactions: Map<number, Reaction[]>,
    quotes: Map<number, { seq: number; userId: string; body: string }>,
    files: Map<number, AttachmentRow[]>,
  ): Message {
    return {
      id: row.id,
      roomId: this.roomId(),
      seq: row.seq,
      userId: row.user_id,
      body: row.body,
      clientId: row.client_id,
      createdAt: new Date(row.created_at).toISOString(),
      editedAt: iso(row.edited_at),
      deletedAt: iso(row.deleted_at),
      kind: row.kind,
      threadSeq: row.thread_seq,
      replyTo: row.reply_to_seq === null ? null : (quotes.get(row.reply_to_seq) ?? null),
      mentions: row.mentions ? (JSON.parse(row.mentions) as string[]) : [],
      reactions: reactions.get(row.seq) ?? [],
      pinnedAt: iso(row.pinned_at),
      pinnedBy: row.pinned_by,
      thread:
        row.reply_count > 0 && row.last_reply_at !== null
          ? {
              replyCount: row.reply_count,
              lastReplyAt: new Date(row.last_reply_at).toISOString(),
              participantIds: row.thread_participants
                ? (JSON.parse(row.thread_participants) as string[])
                : [],
            }
          : null,
      call: row.call_summary ? (JSON.parse(row.call_summary) as CallSummary) : null,
      attachments: this.attachmentsOf(files.get(row.seq)),
      linkPreview: this.linkPreviewOf(row.link_preview),
    };
  }

  private attachmentsOf(rows: AttachmentRow[] | undefined): Attachment[] {
    if (!rows) return [];
    const now = Date.now();
    return rows.map((file) => this.files.present(file, now));
  }

  private linkPreviewOf(stored: string | null): LinkPreview | null {
    if (stored === null || stored === REMOVED_PREVIEW) return null;
    const { imageKey, ...card } = JSON.parse(stored) as StoredLinkPreview;
    return { ...card, imageUrl: imageKey ? this.files.signed(imageKey) : null };
  }

  /** Quoted messages as they are now: a deleted one is quoted with an empty body. */
  private quotes(seqs: number[]): Map<number, { seq: number; userId: string; body: string }> {
    const unique = [...new Set(seqs)];
    const found = new Map<number, { seq: number; userId: string; body: string }>();
    // SQLite in workerd takes at most 100 bound variables per statement.
    for (let start = 0; start < unique.length; start += 90) {
      const chunk = unique.slice(start, start + 90);
      const rows = this.sql
        .exec<{ seq: number; user_id: string; body: string }>(
          `SELECT seq, user_id, body FROM messages WHERE seq IN (${chunk.map(() => "?").join(",")})`,
          ...chunk,
        )
        .toArray();
      for (const row of rows)
        found.set(row.seq, { seq: row.seq, userId: row.user_id, body: quote(row.body) });
    }
    return found;
  }

  /** Reactions of these messages: per emoji in first-reaction order, who reacted (up to 100 named). */
  private reactionsOf(seqs: number[]): Map<number, Reaction[]> {
    const wanted = new Set(seqs);
    const [low, high] = [Math.min(...seqs), Math.max(...seqs)];
    type Row = { seq: number; emoji: string; user_id: string };
    let rows: Row[] = [];
    if (high - low < 2 * seqs.length) {
      // A page is (nearly) a run of seqs: one range read by the primary key.
      const query = "SELECT seq, emoji, user_id FROM reactions WHERE seq BETWEEN ? AND ? ORDER BY at, rowid";
      rows = this.sql.exec<Row>(query, low, high).toArray();
    } else {
      // Scattered seqs (pins, a thread): lists of at most 90, under workerd's 100 bound variables.
      const list = [...wanted];
      for (let start = 0; start < list.length; start += 90) {
        const chunk = list.slice(start, start + 90);
        const query = `SELECT seq, emoji, user_id, at FROM reactions WHERE seq IN (${chunk.map(() => "?").join(",")})`;
        rows.push(
          ...this.sql
            .exec<Row & { at: number }>(query, ...chunk)
            .toArray()
            .sort((a, b) => a.at - b.at),
        );
      }
    }
    rows = rows.filter((row) => wanted.has(row.seq));
    const bySeq = new Map<number, Map<string, Reaction>>();
    for (const row of rows) {
      const emojis = bySeq.get(row.seq) ?? new Map<string, Reaction>();
      bySeq.set(row.seq, emojis);
      const reaction = emojis.get(row.emoji) ?? { emoji: row.emoji, count: 0, userIds: [] };
      emojis.set(row.emoji, reaction);
      reaction.count++;
      if (reaction.userIds.length < 100) reaction.userIds.push(row.user_id);
    }
    return new Map([...bySeq].map(([seq, emojis]) => [seq, [...emojis.values()]]));
  }
}
