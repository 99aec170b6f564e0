import { describe, expect, it } from "vitest";
import {
  emptyState,
  groupByRoom,
  jumpSeq,
  moveActive,
  type SearchHit,
  shownOrder,
} from "../../web/src/state/search.ts";
import { parseSearch } from "../../worker/protocol/search.ts";
import { snippetOf } from "../../worker/room-object/store/snippet.ts";
import { aMessage } from "../shared/messages.ts";

// Search in the client: results grouped by room and moved through by keyboard, what the empty
// state says, where a result opens. Opening it is the room's own jump (a page around it, a gap
// paged down to the live end): test/web/threads.test.ts covers that timeline.

const message = aMessage;

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
