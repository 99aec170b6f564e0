import { describe, expect, it } from "vitest";
import {
  grouped,
  mentionNotice,
  messageNotice,
  type NoticeGroups,
  seen,
  titleUnread,
} from "../../web/src/notify/notices.ts";
import { countMention, markRoomRead, setNotifyLevel } from "../../web/src/state/room-list.ts";
import type { Message } from "../../worker/protocol/messages.ts";
import type { RoomSummary } from "../../worker/protocol/rooms.ts";

// Which frames of the user channel become a system notification, honouring each room's level;
// the room list's "@" badge and the title's unread count, which leaves muted rooms out.

const ME = "me";

function room(id: string, overrides: Partial<RoomSummary> = {}): RoomSummary {
  return {
    id,
    kind: "public",
    name: id,
    topic: "",
    role: "member",
    unreadCount: 0,
    mentionCount: 0,
    notify: "all",
    lastReadSeq: 0,
    lastMessage: { seq: 1, userId: "ann", body: "first", createdAt: "2026-12-01T12:00:00.000Z" },
    lastActivityAt: "2026-12-01T12:00:00.000Z",
    ...overrides,
  };
}

const moved = (before: RoomSummary, seq: number, userId = "ann") => ({
  ...before,
  unreadCount: 1,
  lastMessage: { seq, userId, body: `message ${seq}`, createdAt: "2026-12-01T12:01:00.000Z" },
});

const mention = (roomId: string, seq: number) => ({
  type: "mention" as const,
  roomId,
  message: { seq, userId: "ann", body: "@me look" } as Message,
});

describe("what notifies", () => {
  it("every new message of someone else in a room set to all, not our own or one already read", () => {
    const before = room("a");
    expect(messageNotice(before, moved(before, 2), ME)).toMatchObject({
      roomId: "a",
      seq: 2,
      mention: false,
    });
    expect(messageNotice(before, moved(before, 2, ME), ME)).toBeNull();
    expect(messageNotice(before, { ...moved(before, 2), lastReadSeq: 2 }, ME)).toBeNull();
    // A room_updated that only moved a read marker is no news.
    expect(messageNotice(before, { ...before, lastReadSeq: 1 }, ME)).toBeNull();
  });

  it("only mentions in a room set to mentions, and nothing at all in a muted one", () => {
    const quiet = room("a", { notify: "mentions" });
    expect(messageNotice(quiet, moved(quiet, 2), ME)).toBeNull();
    expect(mentionNotice(mention("a", 2), quiet)).toMatchObject({ seq: 2, mention: true });
    const muted = room("a", { notify: "none" });
    expect(messageNotice(muted, moved(muted, 2), ME)).toBeNull();
    expect(mentionNotice(mention("a", 2), muted)).toBeNull();
  });

  it("groups a room's notices, counts them until the tab is looked at, and never announces a message twice", () => {
    let groups: NoticeGroups = new Map();
    const first = grouped(groups, { roomId: "a", seq: 2, userId: "ann", body: "", mention: true });
    expect(first?.count).toBe(1);
    groups = first?.groups ?? groups;
    // The same message again, as room_updated after its mention frame: no second notification.
    expect(grouped(groups, { roomId: "a", seq: 2, userId: "ann", body: "", mention: false })).toBeNull();
    const second = grouped(groups, { roomId: "a", seq: 3, userId: "ann", body: "", mention: false });
    expect(second?.count).toBe(2);
    groups = seen(second?.groups ?? groups);
    expect(grouped(groups, { roomId: "a", seq: 4, userId: "ann", body: "", mention: false })?.count).toBe(1);
  });
});

describe("badges and the title", () => {
  it("leaves muted rooms out of the title's unread count", () => {
    expect(titleUnread([room("a", { unreadCount: 2 }), room("b", { unreadCount: 5, notify: "none" })])).toBe(
      2,
    );
  });

  it("counts a mention frame at once, except in the room being read, and clears it when read", () => {
    let rooms = [room("a"), room("b")];
    rooms = countMention(rooms, "a", "b");
    rooms = countMention(rooms, "b", "b");
    expect(rooms.map((each) => each.mentionCount)).toEqual([1, 0]);
    rooms = markRoomRead(rooms, "a", 1);
    expect(rooms[0]?.mentionCount).toBe(0);
  });

  it("shows a new notification level at once", () => {
    expect(setNotifyLevel([room("a")], "a", "mentions")[0]?.notify).toBe("mentions");
  });
});
