import { eq, sql } from "drizzle-orm";
import { database } from "../db/client";
import { rooms } from "../db/schema";
import { callPreview } from "../protocol/call-text";
import type { Message } from "../protocol/messages";
import { pushRoomSummaries } from "../room-list/live";
import type { AlarmTask } from "./alarms";
import type { RoomParts } from "./parts";

// Room lists, unread counts and previews come from D1 (one query across all of a user's rooms), so
// the room writes its summary there: last seq, a preview of the last message, the activity time, and
// the members' read markers. In batches, never once per message per member: a change marks the
// summary due (at least SUMMARY_DEBOUNCE_MS later, and SUMMARY_INTERVAL_MS after the last flush),
// and the alarm writes everything that changed meanwhile in one D1 batch. Then the user channels of
// members who are online get `room_updated`, which is how room lists update live.

const SUMMARY_INTERVAL_MS = 1000;
const SUMMARY_DEBOUNCE_MS = 100;
const PREVIEW_CHARS = 200;

function preview(message: Message): string {
  // A call message has no body: its summary ("Call · 3 min") stands for one.
  const body = message.call ? callPreview(message.call) : message.body || filesLine(message);
  const characters = Array.from(body);
  return characters.length <= PREVIEW_CHARS ? body : `${characters.slice(0, PREVIEW_CHARS).join("")}…`;
}

/** A message of files alone says what it sent (an empty preview reads as a deleted message). */
function filesLine(message: Message): string {
  const files = message.deletedAt ? [] : message.attachments;
  if (files.length === 0) return "";
  return files.length === 1 ? `📎 ${files[0]?.name}` : `📎 ${files.length} files`;
}

/** One member's marks for D1: their read marker (`r`, with `m` the main messages it covers), their unread mentions (`c`). */
type MemberMarks = { u: string; r?: number; m?: number; c?: number };

/** Marks per statement: ~35 KB of JSON, far below D1's 2 MB a value even when thousands read in one flush. */
const MARKS_PER_STATEMENT = 500;

/**
 * One UPDATE for the rows of many members (?1 the room, ?2 their marks as one JSON array). A read
 * marker only moves forward in D1, as in the room; a mention count is the room's, written as it is.
 * Plain D1 rather than drizzle: drizzle's batch cannot carry a raw statement with parameters.
 */
const MEMBER_MARKS_UPDATE = `UPDATE memberships SET
    last_read_seq = CASE WHEN j.r > memberships.last_read_seq THEN j.r ELSE memberships.last_read_seq END,
    read_main_count = CASE WHEN j.r > memberships.last_read_seq THEN j.m ELSE memberships.read_main_count END,
    mention_count = coalesce(j.c, memberships.mention_count)
  FROM (SELECT value ->> 'u' AS u, value ->> 'r' AS r, value ->> 'm' AS m, value ->> 'c' AS c FROM json_each(?2)) AS j
  WHERE memberships.room_id = ?1 AND memberships.user_id = j.u`;

export class RoomListSync implements AlarmTask {
  constructor(
    private readonly parts: RoomParts,
    /** After a flush: these members' devices received the summary, up to this seq. */
    private readonly delivered: (userId: string, seq: number) => void,
  ) {}

  /** Something the room list shows changed: write it to D1 soon. */
  async changed(): Promise<void> {
    const meta = this.parts.store.meta;
    if (meta.time("summaryDueAt") !== null) return;
    const lastFlush = meta.time("summaryFlushedAt") ?? 0;
    meta.setTime("summaryDueAt", Math.max(Date.now() + SUMMARY_DEBOUNCE_MS, lastFlush + SUMMARY_INTERVAL_MS));
    await this.parts.alarms.schedule();
  }

  pending(): boolean {
    return this.due() !== null;
  }

  due(): number | null {
    return this.parts.store.meta.time("summaryDueAt");
  }

  async run(): Promise<void> {
    const { store, env } = this.parts;
    const roomId = store.meta.get("roomId");
    if (!roomId) return;
    store.receipts.saveDelivered();
    const db = database(env.DB);
    const lastSeq = store.messages.lastSeq();
    // Thread replies are not the room's last message, nor in its unread count.
    const last = store.messages.lastMain();
    const reads = store.receipts.unsyncedReads();
    const mentioned = store.mentions.unsynced();
    const summary = db
      .update(rooms)
      .set({
        lastSeq,
        mainCount: store.messages.mainCount(),
        lastMessageSeq: last?.seq ?? null,
        lastMessageUserId: last?.userId ?? null,
        lastMessagePreview: last ? preview(last) : null,
        lastMessageAt: last ? new Date(last.createdAt) : null,
        lastActivityAt: last
          ? sql`max(${rooms.lastActivityAt}, ${Date.parse(last.createdAt)})`
          : rooms.lastActivityAt,
      })
      .where(eq(rooms.id, roomId));
    const marks = new Map<string, MemberMarks>();
    for (const read of reads)
      marks.set(read.userId, {
        u: read.userId,
        r: read.readSeq,
        m: store.messages.mainCountUpTo(read.readSeq),
      });
    // Mention counts of the members who were mentioned or read since the last flush.
    for (const userId of new Set([...mentioned, ...marks.keys()])) {
      const mark = marks.get(userId) ?? { u: userId };
      mark.c = store.mentions.count(userId, store.receipts.of(userId).readSeq);
      marks.set(userId, mark);
    }
    // The members' rows in one statement per MARKS_PER_STATEMENT (a room of 50 busy people moves 50 read
    // markers a second: a statement each was most of the flush's time, and the flush holds up the room's messages).
    const { sql: summarySql, params } = summary.toSQL();
    const d1 = db.$client; // the binding drizzle was given (so the bench's D1 counter sees these too)
    const statements = [d1.prepare(summarySql).bind(...params)];
    const all = [...marks.values()];
    for (let at = 0; at < all.length; at += MARKS_PER_STATEMENT) {
      const some = JSON.stringify(all.slice(at, at + MARKS_PER_STATEMENT));
      statements.push(d1.prepare(MEMBER_MARKS_UPDATE).bind(roomId, some));
    }
    // Clear "due" before awaiting D1: other events run while we wait, and a message or read that
    // arrives then must schedule the next flush rather than be folded into this one and forgotten.
    const due = store.meta.time("summaryDueAt");
    store.meta.setTime("summaryDueAt", null);
    try {
      await d1.batch(statements);
    } catch (error) {
      // D1 failed: still due; the alarm is retried.
      if (store.meta.time("summaryDueAt") === null) store.meta.setTime("summaryDueAt", due);
      throw error;
    }
    store.receipts.markSynced(reads); // only markers that did not move meanwhile
    store.mentions.markSynced(mentioned);
    store.meta.setTime("summaryFlushedAt", Date.now());
    // What reached a member's device counts as delivered to them.
    for (const pushed of await pushRoomSummaries(env, roomId, "room_updated")) {
      if (pushed.seq > 0) this.delivered(pushed.userId, pushed.seq);
    }
  }
}
