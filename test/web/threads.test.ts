import { describe, expect, it } from "vitest";
import { initialRoomState, type RoomState, roomReducer } from "../../web/src/state/room.ts";
import { isThreadUnread } from "../../web/src/state/threads.ts";
import { emptyTimeline, jumpedTo, lastSeq, pageNewer, shownMessages } from "../../web/src/state/timeline.ts";
import type { Message } from "../../worker/protocol/messages.ts";
import type { RoomDetail } from "../../worker/rooms/schemas.ts";
import { aMessage } from "../shared/messages.ts";

// Threads kept per thread beside the main timeline, their counters as the root's updates bring
// them, which threads are unread for you, and jumping to an older message (a gap that pages close).

const ME = "me";
const ANN = "ann";

const message = (seq: number, overrides: Partial<Message> = {}) =>
  aMessage(seq, {
    userId: ANN,
    createdAt: new Date(Date.UTC(2026, 11, 1, 12, 0, seq)).toISOString(),
    ...overrides,
  });

const room: RoomDetail = {
  id: "r",
  kind: "public",
  name: "general",
  topic: "",
  createdAt: "2026-12-01T12:00:00.000Z",
  role: "member",
  members: [],
};

const frame = (state: RoomState, type: "message" | "message_updated", body: Message) =>
  roomReducer(state, { type: "frame", frame: { type, message: body }, now: 0 });

function openWithThread(): RoomState {
  let state = roomReducer(initialRoomState(ME), {
    type: "opened",
    room,
    messages: [message(1), message(2)],
    hasOlder: false,
  });
  state = roomReducer(state, {
    type: "thread",
    root: message(1),
    messages: [message(3, { threadSeq: 1 })],
    hasOlder: false,
  });
  return state;
}

describe("threads on the client", () => {
  it("keeps a thread's replies in that thread and out of the main timeline, live replies included", () => {
    let state = openWithThread();
    state = frame(state, "message", message(4, { threadSeq: 1, userId: ME }));
    state = frame(state, "message", message(5));
    expect(state.timeline.messages.map((each) => each.seq)).toEqual([1, 2, 5]);
    expect(state.threads.get(1)?.messages.map((each) => each.seq)).toEqual([3, 4]);
    // A resume starts after everything we heard, replies included.
    expect(lastSeq(state.timeline)).toBe(5);
  });

  it("moves the root's counters in the timeline and in the open thread when the root is updated", () => {
    let state = openWithThread();
    const counted = message(1, {
      thread: { replyCount: 2, lastReplyAt: "2026-12-01T12:05:00.000Z", participantIds: [ANN, ME] },
    });
    state = frame(state, "message_updated", counted);
    expect(state.timeline.messages[0]?.thread?.replyCount).toBe(2);
    expect(state.threads.get(1)?.root?.thread?.replyCount).toBe(2);
  });

  it("applies reactions to replies held in a thread", () => {
    let state = openWithThread();
    state = roomReducer(state, {
      type: "frame",
      frame: { type: "reaction", seq: 3, userId: ME, emoji: "🎉", on: true },
      now: 0,
    });
    expect(state.threads.get(1)?.messages[0]?.reactions).toEqual([{ emoji: "🎉", count: 1, userIds: [ME] }]);
  });

  it("pages older replies in before the ones held", () => {
    let state = openWithThread();
    state = roomReducer(state, {
      type: "thread",
      root: message(1),
      messages: [message(7, { threadSeq: 1 })],
      hasOlder: true,
    });
    state = roomReducer(state, {
      type: "thread_older",
      rootSeq: 1,
      messages: [message(2, { threadSeq: 1 })],
      hasOlder: false,
    });
    expect(state.threads.get(1)?.messages.map((each) => each.seq)).toEqual([2, 3, 7]);
    expect(state.threads.get(1)?.hasOlder).toBe(false);
  });

  it("marks a thread unread for someone who took part, until they saw its newest reply", () => {
    const summary = { replyCount: 3, lastReplyAt: "2026-12-01T12:10:00.000Z", participantIds: [ANN, ME] };
    const root = message(1, { thread: summary });
    expect(isThreadUnread(root, ME, undefined)).toBe(true);
    expect(isThreadUnread(root, ME, "2026-12-01T12:05:00.000Z")).toBe(true);
    expect(isThreadUnread(root, ME, "2026-12-01T12:10:00.000Z")).toBe(false);
    // Not yours to follow: someone else's thread you never replied in.
    expect(isThreadUnread(message(1, { thread: { ...summary, participantIds: [ANN] } }), ME, undefined)).toBe(
      false,
    );
    // Your own root: every reply is for you.
    expect(
      isThreadUnread(
        message(1, { userId: ME, thread: { ...summary, participantIds: [ANN] } }),
        ME,
        undefined,
      ),
    ).toBe(true);
  });
});

describe("jumping to an older message", () => {
  const held = {
    ...emptyTimeline,
    messages: [message(90), message(91), message(92)],
    hasOlder: true,
    seenSeq: 92,
  };

  it("shows the page around it and hides what lies past the gap until newer pages close it", () => {
    let timeline = jumpedTo(
      held,
      { messages: [message(10), message(11), message(12)], hasMoreBefore: true, hasMoreAfter: true },
      ME,
    );
    expect(timeline.gapAfter).toBe(12);
    expect(shownMessages(timeline).map((each) => each.seq)).toEqual([10, 11, 12]);
    // A live message meanwhile is kept, unseen, so closing the gap cannot lose it.
    timeline = { ...timeline, messages: [...timeline.messages, message(93)] };
    timeline = pageNewer(timeline, [message(13), message(14)], true, ME);
    expect(timeline.gapAfter).toBe(14);
    timeline = pageNewer(timeline, [message(15), message(90)], true, ME);
    expect(timeline.gapAfter).toBeNull();
    expect(shownMessages(timeline).map((each) => each.seq)).toEqual([10, 11, 12, 13, 14, 15, 90, 91, 92, 93]);
  });

  it("opens no gap when the page reaches what is held", () => {
    const timeline = jumpedTo(
      held,
      { messages: [message(88), message(89), message(90)], hasMoreBefore: true, hasMoreAfter: true },
      ME,
    );
    expect(timeline.gapAfter).toBeNull();
    expect(timeline.messages.map((each) => each.seq)).toEqual([88, 89, 90, 91, 92]);
  });

  it("leaves an earlier jump behind when jumping again, and goes back to the newest on 'latest'", () => {
    let state: RoomState = { ...initialRoomState(ME), timeline: held };
    state = roomReducer(state, {
      type: "around",
      messages: [message(40)],
      hasMoreBefore: true,
      hasMoreAfter: true,
    });
    state = roomReducer(state, {
      type: "around",
      messages: [message(20)],
      hasMoreBefore: true,
      hasMoreAfter: true,
    });
    expect(state.timeline.messages.map((each) => each.seq)).toEqual([20, 90, 91, 92]);
    state = roomReducer(state, { type: "latest" });
    expect(shownMessages(state.timeline).map((each) => each.seq)).toEqual([90, 91, 92]);
    expect(state.timeline.hasOlder).toBe(true);
  });
});
