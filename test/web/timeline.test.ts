import { describe, expect, it } from "vitest";
import { applyRoomFrame, markRoomRead } from "../../web/src/state/room-list.ts";
import {
  addPending,
  emptyTimeline,
  lastSeq,
  markPending,
  mergeMessages,
  prependPage,
  receive,
  type Timeline,
} from "../../web/src/state/timeline.ts";
import type { Message } from "../../worker/protocol/messages.ts";
import type { RoomSummary } from "../../worker/protocol/rooms.ts";
import { aMessage } from "../shared/messages.ts";

// The client's timeline: history pages, live frames, resume replays and our own optimistic sends
// may arrive in any order and more than once; the result must show each message once, in seq order.

const ME = "me";
const OTHER = "other";

const message = (seq: number, overrides: Partial<Message> = {}) =>
  aMessage(seq, { userId: OTHER, ...overrides });

const seqs = (timeline: Timeline) => timeline.messages.map((m) => m.seq);

describe("merging a room's timeline", () => {
  it("keeps one copy per seq in ascending order, whatever the arrival order", () => {
    const merged = mergeMessages([message(3), message(1)], [message(2), message(3), message(1), message(5)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 5]);
  });

  it("lets an edit replace the message, and never lets a stale copy undo it", () => {
    const edited = message(2, { body: "fixed", editedAt: "2026-11-21T12:05:00.000Z" });
    const afterEdit = mergeMessages([message(1), message(2)], [edited]);
    expect(afterEdit[1]?.body).toBe("fixed");
    const staleReplay = mergeMessages(afterEdit, [message(2)]);
    expect(staleReplay[1]?.body).toBe("fixed");
  });

  it("confirms an optimistic send when the server's copy with its clientId arrives, without a duplicate", () => {
    let timeline = addPending(emptyTimeline, {
      clientId: "c1",
      body: "hi",
      createdAt: "",
      status: "sending",
    });
    timeline = addPending(timeline, { clientId: "c2", body: "again", createdAt: "", status: "sending" });
    timeline = receive(timeline, [message(7, { userId: ME, clientId: "c1", body: "hi" })], ME);
    expect(seqs(timeline)).toEqual([7]);
    expect(timeline.pending.map((p) => p.clientId)).toEqual(["c2"]);
    // The same confirmation again (a resend answered, or a replay after resume) changes nothing.
    timeline = receive(timeline, [message(7, { userId: ME, clientId: "c1", body: "hi" })], ME);
    expect(seqs(timeline)).toEqual([7]);
    expect(timeline.pending).toHaveLength(1);
  });

  it("does not let another author's message with the same clientId confirm our send", () => {
    let timeline = addPending(emptyTimeline, {
      clientId: "same",
      body: "mine",
      createdAt: "",
      status: "sending",
    });
    timeline = receive(timeline, [message(1, { clientId: "same" })], ME);
    expect(timeline.pending).toHaveLength(1);
  });

  it("joins an older page, a live message and a resume replay into one gapless list", () => {
    let timeline = receive(emptyTimeline, [message(51), message(52), message(53)], ME);
    timeline = receive(timeline, [message(54)], ME); // live
    timeline = receive(timeline, [message(53), message(54), message(55)], ME); // replay since=52 after a drop
    timeline = prependPage(timeline, [message(49), message(50)], false, ME);
    expect(seqs(timeline)).toEqual([49, 50, 51, 52, 53, 54, 55]);
    expect(timeline.hasOlder).toBe(false);
    expect(lastSeq(timeline)).toBe(55);
  });

  it("marks a refused send as failed and a retry as sending again, keeping its clientId", () => {
    let timeline = addPending(emptyTimeline, { clientId: "c9", body: "x", createdAt: "", status: "sending" });
    timeline = markPending(timeline, "c9", "failed", "Too many messages");
    expect(timeline.pending[0]).toMatchObject({
      clientId: "c9",
      status: "failed",
      error: "Too many messages",
    });
    timeline = markPending(timeline, "c9", "sending");
    expect(timeline.pending[0]).toMatchObject({ clientId: "c9", status: "sending" });
  });
});

describe("the room list", () => {
  const room = (id: string, lastActivityAt: string, unreadCount = 0): RoomSummary => ({
    id,
    kind: "public",
    name: id,
    topic: "",
    role: "member",
    unreadCount,
    mentionCount: 0,
    notify: "all",
    lastReadSeq: 0,
    lastMessage: { seq: unreadCount, userId: OTHER, body: "x", createdAt: lastActivityAt },
    lastActivityAt,
  });

  it("moves an updated room to the top and removes a removed one", () => {
    let rooms = [room("a", "2026-11-21T10:00:00Z"), room("b", "2026-11-21T09:00:00Z")];
    rooms = applyRoomFrame(rooms, { type: "room_updated", room: room("b", "2026-11-21T11:00:00Z", 1) });
    expect(rooms.map((r) => r.id)).toEqual(["b", "a"]);
    rooms = applyRoomFrame(rooms, { type: "room_removed", roomId: "b" });
    expect(rooms.map((r) => r.id)).toEqual(["a"]);
  });

  it("clears a room's badge when it is read", () => {
    const rooms = markRoomRead([room("a", "2026-11-21T10:00:00Z", 3)], "a", 3);
    expect(rooms[0]).toMatchObject({ unreadCount: 0, lastReadSeq: 3 });
  });
});

describe("thread replies", () => {
  it("stay out of the main timeline, and a reply of ours still confirms its send", () => {
    let timeline = receive(emptyTimeline, [message(1)], ME);
    timeline = addPending(timeline, {
      clientId: "r1",
      body: "in a thread",
      createdAt: "",
      status: "sending",
    });
    timeline = receive(timeline, [message(2, { userId: ME, clientId: "r1", threadSeq: 1 })], ME);
    expect(timeline.messages.map((each) => each.seq)).toEqual([1]);
    expect(timeline.pending).toEqual([]);
  });
});
