import { describe, expect, it } from "vitest";
import type { Member, Message, RoomDetail, RoomFrame } from "../../web/src/api/types.ts";
import {
  applyFrame,
  authorName,
  initialRoomState,
  type RoomState,
  roomReducer,
  TYPING_SHOWN_MS,
  typingLine,
} from "../../web/src/state/room.ts";
import { sentenceText } from "../../web/src/state/sentence.ts";
import { aMessage } from "../shared/messages.ts";

// One open room, driven by the frames of its socket and the answers of the API, as roomReducer
// applies them: the member list, receipts, presence, typing and the timeline, without a browser.

const ME = "me";
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

function member(userId: string, role: Member["role"] = "member", displayName = userId): Member {
  return { userId, username: userId, displayName, role, online: false, avatarUrl: null };
}

const message = (seq: number, userId: string, overrides: Partial<Message> = {}) =>
  aMessage(seq, { userId, createdAt: new Date(NOW + seq * 1000).toISOString(), ...overrides });

const room: RoomDetail = {
  id: "r",
  kind: "public",
  name: "general",
  topic: "",
  createdAt: new Date(NOW).toISOString(),
  role: "owner",
  members: [member(ME, "owner", "Me"), member("bob", "member", "Bob")],
};

function openRoom(messages: Message[] = []): RoomState {
  return roomReducer(initialRoomState(ME), { type: "opened", room, messages, hasOlder: false });
}

function frames(state: RoomState, ...list: RoomFrame[]): RoomState {
  return list.reduce((current, frame) => applyFrame(current, frame, NOW), state);
}

const names = (state: RoomState) => state.room?.members.map((m) => m.displayName);

describe("a room's member list", () => {
  it("shows someone who joins while the room is open, by name and in the count", () => {
    const joined = frames(openRoom(), {
      type: "member",
      member: { userId: "carol", username: "carol", displayName: "Carol", role: "member", avatarUrl: null },
      change: "joined",
    });
    expect(names(joined)).toEqual(["Me", "Bob", "Carol"]);
    const withMessage = frames(joined, { type: "message", message: message(1, "carol") });
    expect(authorName(withMessage, "carol")).toBe("Carol");
    expect(withMessage.announcement).toBe("Carol: message 1");
  });

  it("keeps the server's order: owner, admins, then members by username", () => {
    const state = frames(
      openRoom(),
      {
        type: "member",
        member: { userId: "al", username: "al", displayName: "Al", role: "member", avatarUrl: null },
        change: "joined",
      },
      {
        type: "member",
        member: { userId: "zed", username: "zed", displayName: "Zed", role: "admin", avatarUrl: null },
        change: "joined",
      },
    );
    expect(names(state)).toEqual(["Me", "Zed", "Al", "Bob"]);
  });

  it("follows a new role or name, and forgets someone who left", () => {
    let state = frames(openRoom(), {
      type: "member",
      member: { userId: "bob", username: "bob", displayName: "Robert", role: "admin", avatarUrl: null },
      change: "updated",
    });
    expect(state.room?.members[1]).toMatchObject({ displayName: "Robert", role: "admin" });
    state = frames(state, {
      type: "member",
      member: { userId: "bob", username: "bob", displayName: "Robert", role: "admin", avatarUrl: null },
      change: "left",
    });
    expect(names(state)).toEqual(["Me"]);
  });

  it("follows our own role: handing the room to Bob makes us an admin and him the owner", () => {
    const memberInfo = (userId: string, role: Member["role"]) => ({
      userId,
      username: userId,
      displayName: userId,
      role,
      avatarUrl: null,
    });
    const handed = frames(
      openRoom(),
      { type: "member", member: memberInfo("bob", "owner"), change: "updated" },
      { type: "member", member: memberInfo(ME, "admin"), change: "updated" },
    );
    expect(handed.room?.role).toBe("admin");
    expect(handed.room?.members.map((m) => [m.userId, m.role])).toEqual([
      ["bob", "owner"],
      [ME, "admin"],
    ]);
    // Someone else's change leaves our role alone.
    const other = frames(openRoom(), {
      type: "member",
      member: memberInfo("bob", "admin"),
      change: "updated",
    });
    expect(other.room?.role).toBe("owner");
  });

  it("takes the details again after a reconnect, for changes made while away", () => {
    const state = roomReducer(openRoom(), {
      type: "details",
      room: { ...room, members: [...room.members, member("dan")] },
    });
    expect(state.room?.members).toHaveLength(3);
  });
});

describe("presence, receipts and typing", () => {
  it("starts from the welcome and follows presence and receipt frames", () => {
    let state = frames(openRoom(), {
      type: "welcome",
      roomId: "r",
      userId: ME,
      lastSeq: 4,
      online: ["bob"],
      receipts: [{ userId: "bob", deliveredSeq: 3, readSeq: 2 }],
      connectionId: "c-me",
      call: { participants: [] },
    });
    expect([...state.online]).toEqual(["bob"]);
    state = frames(
      state,
      { type: "presence", userId: "bob", online: false },
      { type: "presence", userId: "carol", online: true },
      { type: "receipt", userId: "bob", deliveredSeq: 4, readSeq: 4 },
    );
    expect([...state.online]).toEqual(["carol"]);
    expect(state.receipts.get("bob")).toEqual({ userId: "bob", deliveredSeq: 4, readSeq: 4 });
  });

  it("shows who is typing until they stop, send, or go quiet", () => {
    let state = frames(openRoom(), { type: "typing", userId: "bob", typing: true });
    expect(sentenceText(typingLine(state, NOW))).toBe("Bob is typing…");
    state = frames(state, { type: "message", message: message(1, "bob") });
    expect(sentenceText(typingLine(state, NOW))).toBe("");
    state = frames(state, { type: "typing", userId: "bob", typing: true });
    state = roomReducer(state, { type: "typing_faded", now: NOW + TYPING_SHOWN_MS + 1 });
    expect(state.typing.size).toBe(0);
  });

  it("never shows our own typing, and names two people or says several", () => {
    const others = ["bob", "carol", "dan"].map((userId) => member(userId));
    let state = roomReducer(openRoom(), { type: "details", room: { ...room, members: others } });
    state = frames(state, { type: "typing", userId: ME, typing: true });
    expect(sentenceText(typingLine(state, NOW))).toBe("");
    state = frames(
      state,
      { type: "typing", userId: "bob", typing: true },
      { type: "typing", userId: "carol", typing: true },
    );
    expect(sentenceText(typingLine(state, NOW))).toBe("bob and carol are typing…");
    state = frames(state, { type: "typing", userId: "dan", typing: true });
    expect(sentenceText(typingLine(state, NOW))).toBe("Several people are typing…");
  });
});

describe("the timeline and our sends", () => {
  it("confirms our send by its clientId and marks a refused one failed", () => {
    let state = roomReducer(openRoom(), {
      type: "send",
      send: { clientId: "c1", body: "hi", createdAt: "", status: "sending" },
    });
    state = roomReducer(state, {
      type: "send",
      send: { clientId: "c2", body: "x", createdAt: "", status: "sending" },
    });
    state = frames(
      state,
      { type: "message", message: message(1, ME, { clientId: "c1", body: "hi" }) },
      { type: "error", code: "rate_limited", message: "Slow down", clientId: "c2" },
    );
    expect(state.timeline.messages.map((m) => m.seq)).toEqual([1]);
    expect(state.timeline.pending).toEqual([
      { clientId: "c2", body: "x", createdAt: "", status: "failed", error: "Slow down" },
    ]);
    expect(state.announcement).toBe("");
    state = roomReducer(state, { type: "retry", clientId: "c2" });
    expect(state.timeline.pending[0]?.status).toBe("sending");
    state = roomReducer(state, { type: "discard", clientId: "c2" });
    expect(state.timeline.pending).toEqual([]);
  });

  it("applies edits and deletes from the socket and from the API's answers", () => {
    let state = openRoom([message(1, "bob"), message(2, ME)]);
    state = frames(state, {
      type: "message_updated",
      message: message(1, "bob", { body: "", deletedAt: new Date(NOW + 5000).toISOString() }),
    });
    state = roomReducer(state, {
      type: "changed",
      message: message(2, ME, { body: "fixed", editedAt: new Date(NOW + 6000).toISOString() }),
    });
    expect(state.timeline.messages.map((m) => m.body)).toEqual(["", "fixed"]);
  });

  it("puts an older page before the messages it holds", () => {
    let state = openRoom([message(51, "bob"), message(52, "bob")]);
    state = roomReducer(state, {
      type: "older",
      messages: [message(49, "bob"), message(50, ME)],
      hasOlder: false,
    });
    expect(state.timeline.messages.map((m) => m.seq)).toEqual([49, 50, 51, 52]);
    expect(state.timeline.hasOlder).toBe(false);
  });

  it("changes nothing for a pong, an error about no send, or a frame it does not know", () => {
    const state = openRoom([message(1, "bob")]);
    expect(frames(state, { type: "pong" })).toBe(state);
    expect(frames(state, { type: "error", code: "invalid_request", message: "Bad frame" })).toBe(state);
    // A newer server's frame: not in RoomFrame, so the compiler must be told it is one.
    const future = JSON.parse('{"type":"hologram","seq":1}') as RoomFrame;
    expect(frames(state, future)).toBe(state);
  });
});

describe("the room's connection and end", () => {
  it("records the socket's state and why the room is gone", () => {
    let state = roomReducer(openRoom(), { type: "connection", state: "live" });
    expect(state.connection).toBe("live");
    state = roomReducer(state, { type: "gone", reason: "This room was deleted." });
    expect(state.gone).toBe("This room was deleted.");
  });
});
