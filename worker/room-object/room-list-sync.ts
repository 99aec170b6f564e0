import { and, eq, lt, sql } from "drizzle-orm";
import { database } from "../db/client";
import { memberships, rooms } from "../db/schema";
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
    const readMarkers = reads.map((read) =>
      db
        .update(memberships)
        .set({ lastReadSeq: read.readSeq, readMainCount: store.messages.mainCountUpTo(read.readSeq) })
        .where(
          and(
            eq(memberships.roomId, roomId),
            eq(memberships.userId, read.userId),
            lt(memberships.lastReadSeq, read.readSeq),
          ),
        ),
    );
    // Mention counts of the members who were mentioned or read since the last flush.
    const counted = [...new Set([...mentioned, ...reads.map((read) => read.userId)])];
    const mentionCounts = counted.map((userId) =>
      db
        .update(memberships)
        .set({ mentionCount: store.mentions.count(userId, store.receipts.of(userId).readSeq) })
        .where(and(eq(memberships.roomId, roomId), eq(memberships.userId, userId))),
    );
    // Clear "due" before awaiting D1: other events run while we wait, and a message or read that
    // arrives then must schedule the next flush rather than be folded into this one and forgotten.
    const due = store.meta.time("summaryDueAt");
    store.meta.setTime("summaryDueAt", null);
    try {
      await db.batch([summary, ...readMarkers, ...mentionCounts]);
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
