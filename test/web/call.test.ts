import { describe, expect, it } from "vitest";
import type { CallParticipant, CallSummary, ChannelFrame, RoomDetail } from "../../web/src/api/types.ts";
import {
  applyRingFrame,
  callChanges,
  callMessageText,
  gridShape,
  isPolite,
  mediaProblem,
  othersInCall,
  type Ring,
  ringingStoppedText,
} from "../../web/src/state/call.ts";
import { applyFrame, initialRoomState, roomReducer } from "../../web/src/state/room.ts";

// A call as the page reasons about it: who is polite, who came and went, the grid, the rings and
// the words, without a browser (the media and sockets are driven in test/e2e/calls.test.ts).

function participant(userId: string, connectionId = `c-${userId}`): CallParticipant {
  return {
    userId,
    connectionId,
    audio: true,
    video: true,
    screen: false,
    joinedAt: "2026-11-21T12:00:00.000Z",
  };
}

describe("perfect negotiation's roles", () => {
  it("makes exactly one side of every pair polite, and both sides agree", () => {
    const ids = ["0b5f", "3f0c", "9b2e", "c1d2"];
    for (const mine of ids)
      for (const theirs of ids.filter((id) => id !== mine))
        expect(isPolite(mine, theirs)).not.toBe(isPolite(theirs, mine));
  });
});

describe("who is in the call", () => {
  it("leaves us out of the others, and tells who joined and who left by person", () => {
    const before = [participant("ann"), participant("ben")];
    const after = [participant("ann", "c-ann-2"), participant("cat")];
    expect(othersInCall(after, "ann").map((each) => each.userId)).toEqual(["cat"]);
    // Ann's seat moved to a new connection: she neither left nor joined.
    expect(callChanges(before, after)).toEqual({ joined: ["cat"], left: ["ben"] });
  });
});

describe("the grid", () => {
  it("adapts from one tile to six, never taller than wide", () => {
    const shapes = [1, 2, 3, 4, 5, 6].map((count) => gridShape(count));
    expect(shapes).toEqual([
      { columns: 1, rows: 1 },
      { columns: 2, rows: 1 },
      { columns: 2, rows: 2 },
      { columns: 2, rows: 2 },
      { columns: 3, rows: 2 },
      { columns: 3, rows: 2 },
    ]);
    for (const [index, shape] of shapes.entries())
      expect(shape.columns * shape.rows).toBeGreaterThanOrEqual(index + 1);
  });
});

describe("ringing on this device", () => {
  const ringing: ChannelFrame = { type: "call_ringing", roomId: "r1", fromUserId: "ann" };

  it("rings on call_ringing and stops on call_ringing_stopped or call_ended, per room", () => {
    let rings: Ring[] = [];
    rings = applyRingFrame(rings, ringing, 1000);
    rings = applyRingFrame(rings, { type: "call_ringing", roomId: "r2", fromUserId: "cat" }, 2000);
    expect(rings).toEqual([
      { roomId: "r1", fromUserId: "ann", since: 1000 },
      { roomId: "r2", fromUserId: "cat", since: 2000 },
    ]);
    rings = applyRingFrame(rings, { type: "call_ringing_stopped", roomId: "r1", reason: "answered" }, 3000);
    expect(rings.map((ring) => ring.roomId)).toEqual(["r2"]);
    rings = applyRingFrame(rings, { type: "call_ended", roomId: "r2" }, 4000);
    expect(rings).toEqual([]);
  });

  it("changes nothing for the room list's frames", () => {
    const rings = applyRingFrame([], ringing, 1000);
    expect(applyRingFrame(rings, { type: "room_removed", roomId: "x" }, 2000)).toBe(rings);
  });

  it("tells the caller in words why nobody answered", () => {
    expect(ringingStoppedText("declined", "Ben")).toBe("Ben declined the call.");
    expect(ringingStoppedText("missed", "Ben")).toBe("Ben did not answer.");
    expect(ringingStoppedText("answered", "Ben")).toBeNull();
  });
});

describe("a finished call in the timeline", () => {
  const members = new Map([
    ["ann", { displayName: "Ann" }],
    ["ben", { displayName: "Ben" }],
    ["cat", { displayName: "Cat" }],
    ["dan", { displayName: "Dan" }],
  ]);
  const call = (participantIds: string[], durationSec: number): CallSummary => ({
    startedAt: "2026-11-21T12:00:00.000Z",
    endedAt: "2026-11-21T12:03:05.000Z",
    durationSec,
    participantIds,
  });

  it("says how long it went and who was in it", () => {
    expect(callMessageText(call(["ann", "ben"], 185), "ann", "ben", members)).toBe("Call · 3 min · Ann, You");
    expect(callMessageText(call(["ann", "ben", "cat", "dan"], 42), "ann", "ann", members)).toBe(
      "Call · 42 s · You, Ben and 2 others",
    );
    expect(callMessageText(call(["ann", "ben"], 3900), "ann", "cat", members)).toBe(
      "Call · 1 h 5 min · Ann, Ben",
    );
  });

  it("says it was missed when nobody else joined", () => {
    expect(callMessageText(call(["ann"], 30), "ann", "ben", members)).toBe("Missed call from Ann");
    expect(callMessageText(call(["ann"], 30), "ann", "ann", members)).toBe("You called; nobody answered");
  });
});

describe("camera and microphone problems, in words", () => {
  const wanted = { audio: true, video: true };
  it("explains a refused permission, a missing device and a busy one", () => {
    expect(mediaProblem(new DOMException("denied", "NotAllowedError"), wanted)).toMatch(
      /permission was denied/,
    );
    expect(mediaProblem(new DOMException("none", "NotFoundError"), wanted)).toMatch(
      /No camera or microphone was found/,
    );
    expect(mediaProblem(new DOMException("busy", "NotReadableError"), wanted)).toMatch(
      /in use by another app/,
    );
  });
});

describe("the open room's view of its call", () => {
  const room: RoomDetail = {
    id: "r",
    kind: "public",
    name: "general",
    topic: "",
    createdAt: "2026-11-21T12:00:00.000Z",
    role: "member",
    members: [],
  };

  it("starts from the welcome's call and follows call_state, ignoring signals", () => {
    let state = roomReducer(initialRoomState("me"), { type: "opened", room, messages: [], hasOlder: false });
    state = applyFrame(
      state,
      {
        type: "welcome",
        roomId: "r",
        userId: "me",
        lastSeq: 0,
        online: [],
        receipts: [],
        connectionId: "c-me",
        call: { participants: [participant("ann")] },
      },
      0,
    );
    expect(state.call.map((each) => each.userId)).toEqual(["ann"]);
    state = applyFrame(
      state,
      { type: "call_state", participants: [participant("ann"), participant("ben")] },
      0,
    );
    expect(state.call).toHaveLength(2);
    const signalled = applyFrame(
      state,
      {
        type: "call_signal",
        fromConnectionId: "c-ann",
        fromUserId: "ann",
        signal: { candidate: { candidate: "" } },
      },
      0,
    );
    expect(signalled).toBe(state);
    expect(applyFrame(state, { type: "call_state", participants: [] }, 0).call).toEqual([]);
  });
});
