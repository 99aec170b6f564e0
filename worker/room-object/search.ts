import type { Message } from "../protocol/messages";
import type { SnippetSegment } from "../protocol/search";
import { done, type Outcome, refuse } from "./api";
import type { RoomParts } from "./parts";
import type { SearchCursor, SearchTerms } from "./store";
import { plainSnippet, snippetOf } from "./store/snippet";

// Searching what was said in this room (API.md "Search"). The Worker has parsed the query and
// checked the caller's membership; the room ranks its own index (store/search.ts) and presents
// the hits as the API's messages. A search only reads: it writes nothing, so it costs no commit,
// and it leaves delivery markers alone (finding an old message is not receiving the room).
//
// Pages are cut from the messages as they were at the first page: its cursor remembers the room's
// last seq then, so messages sent meanwhile never shift later pages (a new search finds them).

export type SearchQuery = SearchTerms & { limit: number; cursor: string | null };
/** `score`: bm25, lower is better (0 for from: alone), for merging rooms' answers across rooms. */
export type SearchResult = { message: Message; snippet: SnippetSegment[]; score: number };
/** `tookMs`: the room's own time for the search, sent as Server-Timing (the bench reads it). */
export type SearchPage = { results: SearchResult[]; nextCursor: string | null; tookMs: number };

const BAD_CURSOR = "cursor: is not one that this search handed out";

function encodeCursor(cursor: SearchCursor): string {
  return btoa(JSON.stringify([cursor.top, cursor.skip]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");
}

function decodeCursor(text: string): SearchCursor | null {
  try {
    const value: unknown = JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/")));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [top, skip]: unknown[] = value;
    const count = (n: unknown): n is number => Number.isSafeInteger(n) && typeof n === "number" && n >= 0;
    return count(top) && count(skip) ? { top, skip } : null;
  } catch {
    return null;
  }
}

export class Search {
  constructor(private readonly parts: RoomParts) {}

  find(query: SearchQuery): Outcome<SearchPage> {
    const started = performance.now();
    const { store } = this.parts;
    const cursor =
      query.cursor === null ? { top: store.messages.lastSeq(), skip: 0 } : decodeCursor(query.cursor);
    if (!cursor) return refuse("invalid_request", BAD_CURSOR);
    // from: names that are nobody's: nothing can match (and FTS5 has no empty OR to ask).
    if (query.authorIds?.length === 0) return done({ results: [], nextCursor: null, tookMs: 0 });
    const byWords = query.words.length + query.phrases.length > 0;
    const { hits, next } = byWords
      ? store.search.ranked(query, query.limit, cursor)
      : store.search.newest(query, query.limit, cursor);
    const messages = new Map(store.messages.bySeqs(hits.map((hit) => hit.seq)).map((m) => [m.seq, m]));
    const results = hits.flatMap((hit) => {
      const message = messages.get(hit.seq);
      if (!message) return [];
      const snippet = byWords ? snippetOf(message.body, query) : plainSnippet(message.body);
      return [{ message, snippet, score: hit.score }];
    });
    const tookMs = Math.round((performance.now() - started) * 100) / 100;
    return done({ results, nextCursor: next ? encodeCursor(next) : null, tookMs });
  }
}
