import type { SnippetSegment } from "../../protocol/search";
import type { SearchTerms } from "./search";

// The snippet of a result: its text around what matched, in plain-text segments (API.md "Search").
//
// Made here from the body rather than by FTS5's snippet(): snippet() evaluates the query again for
// every row it marks, and for a prefix that many words share (`the*`) each evaluation merges their
// whole doclists, ~2 ms a row at 5,000 messages. This tokenizer reads text as the index's does
// (unicode61: runs of letters, digits and private-use characters; case and diacritics folded), so
// what is marked is what matched; where they might differ (exotic scripts), a mark is only missing.

const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
const SHOWN_TOKENS = 28;
const BEFORE_FIRST_MATCH = 6;
const PLAIN_SNIPPET_CHARS = 160;

type Token = { start: number; end: number; folded: string };

const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

function tokens(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((found) => ({
    start: found.index,
    end: found.index + found[0].length,
    folded: fold(found[0]),
  }));
}

/** Which tokens of the body match: each word (the last one as a prefix) and each phrase in order. */
function matchedTokens(body: Token[], terms: SearchTerms): Set<number> {
  const sequences = [...terms.words, ...terms.phrases].map((text) =>
    tokens(text).map((token) => token.folded),
  );
  const lastWord = terms.words.length - 1;
  const marked = new Set<number>();
  sequences.forEach((sequence, which) => {
    const prefixAtEnd = which === lastWord && (terms.words[lastWord]?.length ?? 0) > 1;
    for (let at = 0; at + sequence.length <= body.length; at++) {
      const fits = sequence.every((wanted, offset) => {
        const folded = body[at + offset]?.folded ?? "";
        return prefixAtEnd && offset === sequence.length - 1 ? folded.startsWith(wanted) : folded === wanted;
      });
      if (fits && sequence.length > 0)
        for (let offset = 0; offset < sequence.length; offset++) marked.add(at + offset);
    }
  });
  return marked;
}

/** The body around its first match (at most SHOWN_TOKENS words, "…" where it is cut), matches marked. */
export function snippetOf(body: string, terms: SearchTerms): SnippetSegment[] {
  const all = tokens(body);
  const marked = matchedTokens(all, terms);
  const first = Math.min(...marked, all.length);
  const from =
    all.length <= SHOWN_TOKENS
      ? 0
      : Math.max(0, Math.min(first - BEFORE_FIRST_MATCH, all.length - SHOWN_TOKENS));
  const to = Math.min(all.length, from + SHOWN_TOKENS);
  const start = from === 0 ? 0 : (all[from]?.start ?? 0);
  const end = to === all.length ? body.length : (all[to - 1]?.end ?? body.length);
  const segments: SnippetSegment[] = from === 0 ? [] : [{ text: "…", match: false }];
  let cursor = start;
  for (let index = from; index < to; index++) {
    const token = all[index];
    if (!token || !marked.has(index)) continue;
    if (token.start > cursor) segments.push({ text: body.slice(cursor, token.start), match: false });
    segments.push({ text: body.slice(token.start, token.end), match: true });
    cursor = token.end;
  }
  if (end > cursor) segments.push({ text: body.slice(cursor, end), match: false });
  if (to < all.length) segments.push({ text: "…", match: false });
  return mergeNeighbours(segments);
}

/** Neighbours of one kind join (a token's text next to a cut), so clients get few segments. */
function mergeNeighbours(segments: SnippetSegment[]): SnippetSegment[] {
  const merged: SnippetSegment[] = [];
  for (const segment of segments) {
    const last = merged.at(-1);
    if (last && last.match === segment.match) last.text += segment.text;
    else merged.push({ ...segment });
  }
  return merged;
}

/** The start of a body, for results that matched no words (from: alone). */
export function plainSnippet(body: string): SnippetSegment[] {
  const characters = Array.from(body);
  const text =
    characters.length <= PLAIN_SNIPPET_CHARS ? body : `${characters.slice(0, PLAIN_SNIPPET_CHARS).join("")}…`;
  return text ? [{ text, match: false }] : [];
}
