import { desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { memberships, rooms, users } from "../db/schema";
import { invalidRequest } from "../http/errors";
import type { Message } from "../protocol/messages";
import { type ParsedSearch, parseSearch, type SnippetSegment } from "../protocol/search";
import type { SearchQuery, SearchResult } from "../room-object/search";
import { usernameKey } from "../users/user";
import { roomObject } from "./access";

// Search across the caller's rooms (GET /api/search). Each room searches its own index, so a
// search across rooms asks rooms, and how many it asks is bounded so that it answers within a
// second even for a member of 500 rooms:
//
// - the SEARCH_ROOMS most recently active of them (the rooms people search are the ones they use),
// - SEARCH_CONCURRENCY at a time, most recently active first,
// - until SEARCH_DEADLINE_MS after the call began: a room that has not answered by then is left out.
//
// The answer says when it did not cover every room (`partial`, with `roomsSearched`). Each room
// answers its best `limit`; they are merged by bm25 score (comparable across rooms: each is the
// same formula over the same kind of text), ties newest first.

export const SEARCH_ROOMS = 100;
export const SEARCH_CONCURRENCY = 20;
// 600 ms, not closer to the second: after the deadline the Worker still merges, serializes and sends
// the answer, and the bench (scenario s, 500 rooms) measured up to ~220 ms of that on a loaded machine.
export const SEARCH_DEADLINE_MS = 600;

export type RoomSearchResult = { roomId: string; message: Message; snippet: SnippetSegment[] };
export type SearchAcrossRooms = {
  results: RoomSearchResult[];
  hasMore: boolean;
  partial: boolean;
  roomsSearched: number;
};

/** The query `q` as the rooms are asked it, with from: names turned into ids; 400 if it is not a query. */
export async function readQuery(db: Database, q: string): Promise<Omit<SearchQuery, "limit" | "cursor">> {
  const parsed = parseSearch(q);
  if (!parsed.ok) throw invalidRequest(`q: ${parsed.reason}`);
  return { ...parsed.search, authorIds: await authorIds(db, parsed.search) };
}

/** from: names as user ids (null: no from:, anyone's messages; [] : nobody by those names). */
async function authorIds(db: Database, search: ParsedSearch): Promise<string[] | null> {
  if (search.from.length === 0) return null;
  const keys = [...new Set(search.from.map(usernameKey))];
  const found = await db.select({ id: users.id }).from(users).where(inArray(users.usernameKey, keys));
  return found.map((user) => user.id);
}

/** The caller's rooms, most recently active first (each room still admits the caller itself). */
async function roomsOf(db: Database, userId: string): Promise<{ roomId: string }[]> {
  return db
    .select({ roomId: memberships.roomId })
    .from(memberships)
    .innerJoin(rooms, eq(rooms.id, memberships.roomId))
    .where(eq(memberships.userId, userId))
    .orderBy(desc(rooms.lastActivityAt), desc(rooms.id));
}

export async function searchAcrossRooms(
  env: Env,
  db: Database,
  userId: string,
  query: SearchQuery,
  startedAt: number,
): Promise<SearchAcrossRooms> {
  const mine = await roomsOf(db, userId);
  if (query.authorIds?.length === 0)
    return { results: [], hasMore: false, partial: false, roomsSearched: mine.length };
  const answers = await askRooms(
    env,
    userId,
    mine.slice(0, SEARCH_ROOMS),
    query,
    startedAt + SEARCH_DEADLINE_MS,
  );
  const all = answers.flatMap((answer) => answer.results);
  all.sort((a, b) => a.score - b.score || Date.parse(b.message.createdAt) - Date.parse(a.message.createdAt));
  return {
    results: all
      .slice(0, query.limit)
      .map(({ message, snippet }) => ({ roomId: message.roomId, message, snippet })),
    hasMore: all.length > query.limit || answers.some((answer) => answer.more),
    partial: answers.length < mine.length,
    roomsSearched: answers.length,
  };
}

type RoomAnswer = { results: SearchResult[]; more: boolean };

/** Asks the rooms, a few at a time, until they all answered or the deadline passed. */
async function askRooms(
  env: Env,
  userId: string,
  candidates: { roomId: string }[],
  query: SearchQuery,
  deadline: number,
): Promise<RoomAnswer[]> {
  const answers: RoomAnswer[] = [];
  let next = 0;
  let closed = false;
  const worker = async () => {
    while (!closed && next < candidates.length) {
      const candidate = candidates[next++];
      if (!candidate) return;
      const { roomId } = candidate;
      const outcome = await roomObject(env, roomId)
        .search({ roomId, userId }, { ...query, cursor: null })
        .catch((error: unknown) => {
          // A room that fails is a room not searched (partial), not a failed search.
          console.error("search: a room did not answer", roomId, error);
          return null;
        });
      if (!closed && outcome?.ok)
        answers.push({ results: outcome.value.results, more: outcome.value.nextCursor !== null });
    }
  };
  let timer: ReturnType<typeof setTimeout> | null = null;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
  });
  const workers = Array.from({ length: Math.min(SEARCH_CONCURRENCY, candidates.length) }, worker);
  await Promise.race([Promise.all(workers), late]);
  closed = true;
  if (timer !== null) clearTimeout(timer);
  return answers;
}
