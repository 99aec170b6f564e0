import { describe, expect, it } from "vitest";
import { initialRoomState, resumePoint, roomReducer } from "../../web/src/state/room.ts";
import {
  emptyState,
  groupByRoom,
  jumpSeq,
  moveActive,
  type SearchHit,
  shownOrder,
} from "../../web/src/state/search.ts";
import { appendPage, emptyTimeline, receive, replaceWithPage } from "../../web/src/state/timeline.ts";
import type { Message } from "../../worker/protocol/messages.ts";
import { parseSearch } from "../../worker/protocol/search.ts";
import { snippetOf } from "../../worker/room-object/store/snippet.ts";
import type { RoomDetail } from "../../worker/rooms/schemas.ts";

// Search in the client: results grouped by room and moved through by keyboard, what the empty
// state says, and the timeline after a jump to a result: paging down from it until it meets the
// live end, with live messages kept apart meanwhile and nothing lost or shown twice.

const ME = "me";

function message(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    roomId: "r",
    seq,
    userId: "other",
    body: `message ${seq}`,
    clientId: null,
    createdAt: new Date(Date.UTC(2026, 10, 21, 12, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    kind: "text",
    threadSeq: null,
    replyTo: null,
    mentions: [],
    reactions: [],
    pinnedAt: null,
    pinnedBy: null,
    thread: null,
    ...overrides,
  };
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
const seqs = (messages: Message[]) => messages.map((m) => m.seq);
const hit = (roomId: string, seq: number): SearchHit => ({
  roomId,
  message: message(seq, { roomId }),
  snippet: [{ text: "x", match: true }],
});

describe("search results", () => {
  it("groups by room in the order of each room's best result, keeping rank order inside", () => {
    const groups = groupByRoom([hit("a", 5), hit("b", 9), hit("a", 2), hit("c", 1), hit("b", 3)]);
    expect(groups.map((group) => [group.roomId, group.hits.map((h) => h.message.seq)])).toEqual([
      ["a", [5, 2]],
      ["b", [9, 3]],
      ["c", [1]],
    ]);
    expect(shownOrder(groups).map((h) => `${h.roomId}${h.message.seq}`)).toEqual([
      "a5",
      "a2",
      "b9",
      "b3",
      "c1",
    ]);
  });

  it("moves the active result with the arrows, stopping at the ends, and Home/End", () => {
    expect(moveActive(0, 3, "ArrowDown")).toBe(1);
    expect(moveActive(2, 3, "ArrowDown")).toBe(2);
    expect(moveActive(0, 3, "ArrowUp")).toBe(0);
    expect(moveActive(1, 3, "End")).toBe(2);
    expect(moveActive(2, 3, "Home")).toBe(0);
    expect(moveActive(-1, 0, "ArrowDown")).toBe(-1);
  });

  it("says what was searched when nothing matched", () => {
    const all = { kind: "all" as const };
    expect(emptyState(" zebra ", all, { roomsSearched: 3, partial: false, roomsTotal: 3 })).toBe(
      "No messages match “zebra” in your 3 rooms.",
    );
    expect(emptyState("zebra", all, { roomsSearched: 100, partial: true, roomsTotal: 140 })).toBe(
      "No messages match “zebra” in 100 rooms of your 140 (the most recently active).",
    );
    expect(emptyState("zebra", { kind: "room", roomId: "r", name: "# general" }, null)).toBe(
      "No messages match “zebra” in # general.",
    );
  });

  it("opens a thread reply at its root, which is where the room's timeline shows it", () => {
    expect(jumpSeq(message(7, { threadSeq: 3 }))).toBe(3);
    expect(jumpSeq(message(7))).toBe(7);
  });

  it("checks a query as the server will", () => {
    expect(parseSearch('deploy "release notes" from:@Alice')).toEqual({
      ok: true,
      search: { words: ["deploy"], phrases: ["release notes"], from: ["Alice"] },
    });
    expect(parseSearch('"open').ok).toBe(false);
    expect(parseSearch("has:link").ok).toBe(false);
    expect(parseSearch("see https://example.com").ok).toBe(true);
  });
});

describe("the timeline after a jump", () => {
  it("shows the page around the message, keeps live messages apart, and meets them at the live end", () => {
    const attached = receive(emptyTimeline, range(951, 1000), ME);
    let timeline = replaceWithPage(
      { ...attached, hasOlder: true },
      { messages: range(76, 125), hasOlder: true, hasNewer: true },
      ME,
    );
    expect(seqs(timeline.messages)).toEqual(seqs(range(76, 125)));
    expect(seqs(timeline.later)).toEqual(seqs(range(951, 1000)));
    timeline = receive(timeline, [message(1001)], ME); // live, while away from the end
    expect(timeline.messages.at(-1)?.seq).toBe(125);
    timeline = receive(
      timeline,
      [message(100, { body: "edited", editedAt: "2026-11-22T00:00:00.000Z" })],
      ME,
    );
    expect(timeline.messages.find((m) => m.seq === 100)?.body).toBe("edited");
    timeline = appendPage(timeline, range(126, 175), true, ME);
    expect(timeline.messages.at(-1)?.seq).toBe(175);
    expect(timeline.hasNewer).toBe(true);
    timeline = appendPage(timeline, range(176, 1000), false, ME);
    expect(timeline.hasNewer).toBe(false);
    expect(timeline.later).toEqual([]);
    expect(seqs(timeline.messages)).toEqual(seqs(range(76, 1001)));
  });

  it("leaves out a copy of a message older than the oldest shown: paging back brings it", () => {
    const timeline = { ...receive(emptyTimeline, range(51, 100), ME), hasOlder: true };
    const updated = receive(timeline, [message(3, { body: "edited long ago" })], ME);
    expect(updated.messages[0]?.seq).toBe(51);
  });

  it("resumes the socket from what it told of while away from the live end, never from the page", () => {
    const room: RoomDetail = {
      id: "r",
      kind: "public",
      name: "general",
      topic: "",
      createdAt: "2026-11-21T12:00:00.000Z",
      role: "member",
      members: [],
    };
    let state = roomReducer(initialRoomState(ME), {
      type: "opened",
      room,
      messages: range(10, 20),
      hasOlder: true,
      jump: { hasNewer: true, seq: 15, key: 1 },
    });
    expect(state.highlight).toEqual({ seq: 15, key: 1 });
    expect(resumePoint(state)).toBeNull(); // live frames only: the gap is paged, not replayed
    state = roomReducer(state, {
      type: "frame",
      now: 0,
      frame: { type: "welcome", roomId: "r", userId: ME, lastSeq: 500, online: [], receipts: [] },
    });
    expect(resumePoint(state)).toBe(500);
    state = roomReducer(state, { type: "latest", messages: range(451, 500), hasOlder: true });
    expect(state.highlight).toBeNull();
    expect(resumePoint(state)).toBe(500);
  });
});

describe("snippets (made by the room from a result's body)", () => {
  const terms = (words: string[], phrases: string[] = []) => ({ words, phrases, authorIds: null });
  const marks = (segments: { text: string; match: boolean }[]) =>
    segments.filter((segment) => segment.match).map((segment) => segment.text);

  it("marks each word, the last one as a prefix, with case and diacritics folded, and keeps the text", () => {
    const segments = snippetOf("Le Café du coin: cafés, CAFE, deployment!", terms(["cafe", "deplo"]));
    expect(marks(segments)).toEqual(["Café", "CAFE", "deployment"]);
    expect(segments.map((segment) => segment.text).join("")).toBe(
      "Le Café du coin: cafés, CAFE, deployment!",
    );
  });

  it("marks a phrase only where its words come in order", () => {
    const segments = snippetOf("notes on the release: release notes are out", terms([], ["release notes"]));
    expect(marks(segments)).toEqual(["release", "notes"]);
    expect(segments.find((segment) => segment.match)?.text).toBe("release");
  });

  it("cuts a long body around its first match, saying so with …", () => {
    const body = `${"word ".repeat(100)}needle ${"more ".repeat(100)}`.trim();
    const segments = snippetOf(body, terms(["needle"]));
    expect(segments[0]?.text.startsWith("…word")).toBe(true);
    expect(segments.at(-1)?.text.endsWith("more…")).toBe(true);
    expect(marks(segments)).toEqual(["needle"]);
    expect(segments.map((segment) => segment.text).join("").length).toBeLessThan(200);
  });
});
