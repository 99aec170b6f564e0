import { characterCount } from "./limits";

// What a search asks for (API.md "Search"), read from the `q` people type, without a validation
// library so that the web client can check a query the way the server will. The Worker parses `q`
// once, at the edge (400 with the reason when it is not a query), resolves from: names to user ids,
// and hands the room only this structured form: the room builds its own FTS5 expression from it,
// so no text a client typed ever reaches SQLite as query syntax.

export const MAX_SEARCH_QUERY_CHARS = 200;

/** One piece of a snippet: plain text, and whether it is what matched. Never HTML. */
export type SnippetSegment = { text: string; match: boolean };

export type ParsedSearch = {
  /** Every word must match; the last one also as a prefix (so results follow typing). */
  words: string[];
  /** "Quoted phrases": these words, in this order. */
  phrases: string[];
  /** from:username (any of them), as typed without the @. */
  from: string[];
};

export type SearchParse = { ok: true; search: ParsedSearch } | { ok: false; reason: string };

const OPERATOR = /^([A-Za-z]+):(.*)$/s;
const HAS_WORD = /[\p{L}\p{N}]/u;
/** FTS5's own operators in capitals: we match every word anyway, so AND says nothing and the others are refused. */
const BOOLEANS = new Set(["OR", "NOT", "NEAR"]);

const refuse = (reason: string): SearchParse => ({ ok: false, reason });

/** Reads a query: words, "quoted phrases" and from:username; or says why it is not one. */
export function parseSearch(q: string): SearchParse {
  const query = q.trim();
  if (query === "") return refuse('is required: type words, "phrases" or from:username');
  if (characterCount(query) > MAX_SEARCH_QUERY_CHARS)
    return refuse(`must be at most ${MAX_SEARCH_QUERY_CHARS} characters`);
  if ((query.match(/"/g)?.length ?? 0) % 2 === 1) return refuse('has an unbalanced quote (")');
  const search: ParsedSearch = { words: [], phrases: [], from: [] };
  for (const [, phrase, bare] of query.matchAll(/"([^"]*)"|([^\s"]+)/g)) {
    if (phrase !== undefined) {
      if (HAS_WORD.test(phrase)) search.phrases.push(phrase.trim());
      continue;
    }
    const refusal = readBare(bare ?? "", search);
    if (refusal) return refusal;
  }
  if (search.words.length + search.phrases.length + search.from.length === 0)
    return refuse('has nothing to search for: type words, "phrases" or from:username');
  return { ok: true, search };
}

/** One unquoted token: an operator (from:), a word, or punctuation that matches nothing. */
function readBare(token: string, search: ParsedSearch): SearchParse | null {
  const operator = OPERATOR.exec(token);
  // "https://…" is a link someone pasted, not an operator.
  if (operator && !operator[2]?.startsWith("//")) {
    const [, name = "", value = ""] = operator;
    if (name.toLowerCase() !== "from")
      return refuse(`uses an unknown operator "${name}:" (only from:username is known)`);
    const username = value.replace(/^@/, "");
    if (username === "") return refuse("has from: without a username");
    search.from.push(username);
    return null;
  }
  if (BOOLEANS.has(token))
    return refuse(`uses ${token}, which search does not support: every word must match`);
  if (token !== "AND" && HAS_WORD.test(token)) search.words.push(token);
  return null;
}
