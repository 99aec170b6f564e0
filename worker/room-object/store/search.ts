import type { SnippetSegment } from "../../protocol/search";

// The room's search index: an FTS5 table over its messages (migration 0005_search), asked here.
//
// Why triggers keep it in step rather than writes in this store: the index then cannot drift from
// the messages whatever writes them (a send, an edit, a tombstone, a moderator's delete, a future
// migration or account deletion), and each write lands in the very statement's transaction, so a
// message and its index entry commit together or not at all. The cost per send is the same FTS5
// insert either way (measured by `npm run bench`, scenario e); the price of triggers is that the
// work is out of sight of store/messages.ts, which is why its write methods say so.
//
// Ranking is bm25 (best first), recency the tie-breaker. bm25 costs a few microseconds per matching
// message (its length is read for each), so a word that half of 100,000 messages contain would take
// far longer than the 20 ms a search may take (measured: ~300 ms). So matches are ranked in windows of
// the newest RANK_WINDOW: the best of the newest thousand first, then the best of the thousand before
// them, and so on as the reader pages. A query that matches fewer is ranked whole, as bm25 alone would.

export const RANK_WINDOW = 1000;

/** What the room searches for: parsed and resolved by the Worker (protocol/search.ts). */
export type SearchTerms = {
  words: string[];
  phrases: string[];
  /** Only these authors' messages; null for anyone's. */
  authorIds: string[] | null;
};

/** Where a page ends: matches with seq <= top, of which the best `skip` of their window were shown. */
export type SearchCursor = { top: number; skip: number };

export type SearchHit = { seq: number; score: number; snippet: SnippetSegment[] };

// snippet() marks matches with these; a body that contains them itself is shown unmarked (below).
const OPEN = "\uE000\uE001";
const CLOSE = "\uE001\uE000";
const SNIPPET_TOKENS = 24;
const PLAIN_SNIPPET_CHARS = 160;

/** A term as FTS5 reads it literally: in double quotes (the parser lets no quote into a word). */
const literal = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** The FTS5 expression for these terms: every word and phrase in the body, any of the authors. */
export function matchExpression(terms: SearchTerms): string {
  const words = terms.words.map((word, index) =>
    index === terms.words.length - 1 && word.length > 1 ? `${literal(word)} *` : literal(word),
  );
  const inBody = [...words, ...terms.phrases.map(literal)];
  const parts: string[] = [];
  if (inBody.length > 0) parts.push(`body : (${inBody.join(" ")})`);
  if (terms.authorIds)
    parts.push(`author : (${terms.authorIds.map((id) => literal(id.replaceAll("-", ""))).join(" OR ")})`);
  return parts.join(" AND ");
}

/** snippet()'s marked text as segments; null when the body itself holds a marker (never misread). */
function segments(marked: string, body: string): SnippetSegment[] | null {
  if (body.includes(OPEN) || body.includes(CLOSE)) return null;
  const found: SnippetSegment[] = [];
  let rest = marked;
  for (;;) {
    const start = rest.indexOf(OPEN);
    const end = start < 0 ? -1 : rest.indexOf(CLOSE, start);
    if (end < 0) break;
    if (start > 0) found.push({ text: rest.slice(0, start), match: false });
    found.push({ text: rest.slice(start + OPEN.length, end), match: true });
    rest = rest.slice(end + CLOSE.length);
  }
  if (rest) found.push({ text: rest, match: false });
  return found;
}

/** The start of a body, for results that matched no words (from: alone). */
export function plainSnippet(body: string): SnippetSegment[] {
  const characters = Array.from(body);
  const text =
    characters.length <= PLAIN_SNIPPET_CHARS ? body : `${characters.slice(0, PLAIN_SNIPPET_CHARS).join("")}…`;
  return text ? [{ text, match: false }] : [];
}

export class SearchIndex {
  constructor(private readonly sql: SqlStorage) {}

  /** The best matches (bm25, then newest), `limit` at most, from `cursor` on; and where the next page starts. */
  ranked(terms: SearchTerms, limit: number, cursor: SearchCursor) {
    const match = matchExpression(terms);
    const hits: { seq: number; score: number }[] = [];
    let { top, skip } = cursor;
    for (;;) {
      const floor = this.windowFloor(match, top);
      const need = limit - hits.length;
      const rows = this.sql
        .exec<{ seq: number; score: number }>(
          `SELECT rowid AS seq, bm25(messages_fts, 1.0, 0.0) AS score FROM messages_fts
           WHERE messages_fts MATCH ? AND rowid <= ? AND rowid > ?
           ORDER BY score, rowid DESC LIMIT ? OFFSET ?`,
          match,
          top,
          floor,
          need + 1,
          skip,
        )
        .toArray();
      hits.push(...rows.slice(0, need));
      if (rows.length > need)
        return { hits: this.withSnippets(match, hits), next: { top, skip: skip + need } };
      if (floor === 0) return { hits: this.withSnippets(match, hits), next: null };
      [top, skip] = [floor, 0];
      if (hits.length === limit) return { hits: this.withSnippets(match, hits), next: { top, skip } };
    }
  }

  /** An author's messages (from: alone), newest first; snippets are the start of each body. */
  newest(terms: SearchTerms, limit: number, cursor: SearchCursor) {
    const rows = this.sql
      .exec<{ seq: number; body: string }>(
        `SELECT rowid AS seq, body FROM messages_fts WHERE messages_fts MATCH ? AND rowid <= ?
         ORDER BY rowid DESC LIMIT ?`,
        matchExpression(terms),
        cursor.top,
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      hits: page.map((row): SearchHit => ({ seq: row.seq, score: 0, snippet: plainSnippet(row.body) })),
      next: rows.length > limit && last ? { top: last.seq - 1, skip: 0 } : null,
    };
  }

  /** The seq just below the newest RANK_WINDOW matches up to `top` (0: they are all in it). */
  private windowFloor(match: string, top: number): number {
    const row = this.sql
      .exec<{ seq: number }>(
        "SELECT rowid AS seq FROM messages_fts WHERE messages_fts MATCH ? AND rowid <= ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        match,
        top,
        RANK_WINDOW,
      )
      .toArray()[0];
    return row?.seq ?? 0;
  }

  /** Snippets for one page only: snippet() reads and tokenizes each text, too dear for every match. */
  private withSnippets(match: string, hits: { seq: number; score: number }[]): SearchHit[] {
    if (hits.length === 0) return [];
    const seqs = hits.map((hit) => hit.seq);
    const rows = this.sql
      .exec<{ seq: number; marked: string; body: string }>(
        `SELECT rowid AS seq, snippet(messages_fts, 0, ?, ?, '…', ?) AS marked, body FROM messages_fts
         WHERE messages_fts MATCH ? AND rowid IN (${seqs.map(() => "?").join(",")})`,
        OPEN,
        CLOSE,
        SNIPPET_TOKENS,
        match,
        ...seqs,
      )
      .toArray();
    const bySeq = new Map(
      rows.map((row) => [row.seq, segments(row.marked, row.body) ?? plainSnippet(row.body)]),
    );
    return hits.map((hit) => ({ ...hit, snippet: bySeq.get(hit.seq) ?? [] }));
  }
}
