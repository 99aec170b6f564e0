import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { answer } from "../api/answers";
import { api } from "../api/client";
import { searchAllRooms, searchOneRoom } from "../api/search";
import { parseSearch } from "../api/types";
import type { Coverage, SearchHit, SearchScope } from "../state/search";

// Searching as the reader types: the query is checked here the way the server will (so a stray
// quote says why at once instead of asking), sent a moment after typing stops, and only the answer
// to the newest query is shown. A search in one room pages on with its cursor ("More results").

const TYPING_PAUSE_MS = 250;

export type SearchState =
  | { status: "idle" }
  | { status: "invalid"; reason: string }
  | { status: "searching" }
  | { status: "failed"; error: string }
  | {
      status: "done";
      q: string;
      hits: SearchHit[];
      coverage: Coverage | null;
      hasMore: boolean;
      nextCursor: string | null;
    };

export function useSearch(q: string, scope: SearchScope, roomsTotal: number) {
  const [state, setState] = useState<SearchState>({ status: "idle" });
  const asked = useRef(0);
  const roomId = scope.kind === "room" ? scope.roomId : null;

  const run = useCallback(
    async (query: string, cursor: string | null, before: SearchHit[]) => {
      const ask = ++asked.current;
      try {
        const next = roomId ? await roomPage(roomId, query, cursor) : await allRooms(query, roomsTotal);
        if (ask === asked.current)
          setState({ ...next, status: "done", q: query, hits: [...before, ...next.hits] });
      } catch (error) {
        if (ask === asked.current)
          setState({ status: "failed", error: error instanceof Error ? error.message : String(error) });
      }
    },
    [roomId, roomsTotal],
  );

  useEffect(() => {
    asked.current++; // whatever was on its way is for an older query now
    if (q.trim() === "") return setState({ status: "idle" });
    const parsed = parseSearch(q);
    if (!parsed.ok) return setState({ status: "invalid", reason: `This search ${parsed.reason}.` });
    setState({ status: "searching" });
    const timer = setTimeout(() => void run(q, null, []), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [q, run]);

  const loadMore = useCallback(() => {
    if (state.status === "done" && state.nextCursor) void run(state.q, state.nextCursor, state.hits);
  }, [state, run]);

  return { state, loadMore };
}

async function allRooms(q: string, roomsTotal: number) {
  const found = await searchAllRooms(q);
  const coverage = { roomsSearched: found.roomsSearched, partial: found.partial, roomsTotal };
  return { hits: found.results, coverage, hasMore: found.hasMore, nextCursor: null };
}

async function roomPage(roomId: string, q: string, cursor: string | null) {
  const found = await searchOneRoom(roomId, q, cursor);
  const hits = found.results.map((result) => ({ ...result, roomId }));
  return { hits, coverage: null, hasMore: found.hasMore, nextCursor: found.nextCursor };
}

const names = new Map<string, Promise<string>>();

/** Display names of the authors of these hits, looked up once per person (results span rooms). */
export function useAuthorNames(hits: SearchHit[]): Map<string, string> {
  const [known, setKnown] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let current = true;
    for (const userId of new Set(hits.map((hit) => hit.message.userId))) {
      if (known.has(userId)) continue;
      let name = names.get(userId);
      if (!name) {
        name = answer(api.users[":userId"].$get({ param: { userId } }))
          .then((person) => person.displayName)
          .catch(() => "Someone");
        names.set(userId, name);
      }
      void name.then((displayName) => {
        if (current) setKnown((before) => new Map(before).set(userId, displayName));
      });
    }
    return () => {
      current = false;
    };
  }, [hits, known]);
  return known;
}
