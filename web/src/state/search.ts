import type { Message, RoomSummary, SnippetSegment } from "../api/types";

// What the search dialog shows, as pure functions the tests run without a browser: results grouped
// by room (each room where its best result ranks), one order for the keyboard to move through, and
// an empty state that says what was searched.

export type SearchHit = { roomId: string; message: Message; snippet: SnippetSegment[] };
export type ResultGroup = { roomId: string; hits: SearchHit[] };

/** Where a search looks: every room of yours, or the room that is open. */
export type SearchScope = { kind: "all" } | { kind: "room"; roomId: string; name: string };

/** Groups ranked results by room; rooms in the order of their best result, hits kept in rank order. */
export function groupByRoom(hits: SearchHit[]): ResultGroup[] {
  const groups = new Map<string, ResultGroup>();
  for (const hit of hits) {
    const group = groups.get(hit.roomId) ?? { roomId: hit.roomId, hits: [] };
    group.hits.push(hit);
    groups.set(hit.roomId, group);
  }
  return [...groups.values()];
}

/** The hits in the order they are shown (and the arrow keys move through them). */
export function shownOrder(groups: ResultGroup[]): SearchHit[] {
  return groups.flatMap((group) => group.hits);
}

/** The active result after a key: arrows move and stop at the ends; Home and End jump there. */
export function moveActive(active: number, count: number, key: string): number {
  if (count === 0) return -1;
  if (key === "ArrowDown") return Math.min(count - 1, active + 1);
  if (key === "ArrowUp") return Math.max(0, active - 1);
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return active;
}

/** How a room is named in results: "# general", or the other person of a direct room. */
export function roomLabel(room: RoomSummary | undefined): string {
  if (!room) return "A room you left";
  return room.kind === "direct" ? (room.peer?.displayName ?? room.name) : `# ${room.name}`;
}

export type Coverage = { roomsSearched: number; partial: boolean; roomsTotal: number };

/** What was searched, for the empty state and the note under partial results. */
export function searchedWhere(scope: SearchScope, coverage: Coverage | null): string {
  if (scope.kind === "room") return `in ${scope.name}`;
  const rooms = (n: number) => `${n} ${n === 1 ? "room" : "rooms"}`;
  if (!coverage) return "in your rooms";
  if (coverage.roomsTotal === 0) return "(you are not in any room yet)";
  if (!coverage.partial) return `in your ${rooms(coverage.roomsSearched)}`;
  return `in ${rooms(coverage.roomsSearched)} of your ${coverage.roomsTotal} (the most recently active)`;
}

export function emptyState(q: string, scope: SearchScope, coverage: Coverage | null): string {
  return `No messages match “${q.trim()}” ${searchedWhere(scope, coverage)}.`;
}

/**
 * A result to show in its room (the room's own jump, room/use-jump.ts); `key` tells one opening from
 * the next, so opening the same result again jumps to it again.
 */
export type JumpTarget = { seq: number; key: number };

/** Where to open a result: a thread reply shows in its thread's root, which is in the room's timeline. */
export function jumpSeq(message: Message): number {
  return message.threadSeq ?? message.seq;
}
