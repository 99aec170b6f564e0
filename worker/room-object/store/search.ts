// The room's search index: an FTS5 table over its messages (migration 0005_search), asked here.
//
// Why triggers keep it in step rather than writes in this store: the index then cannot drift from
// the messages whatever writes them (a send, an edit, a tombstone, a moderator's delete, a future
// migration or account deletion), and each write lands in the very statement's transaction, so a
// message and its index entry commit together or not at all. The cost per send is the same FTS5
// insert either way (measured by `npm run bench`, scenario s); the price of triggers is that the
// work is out of sight of store/messages.ts, which is why its write methods say so.
//
// Ranking is bm25 (best first), recency the tie-breaker. bm25 costs a few microseconds per matching
// message (its length is read for each), so a word that half of 100,000 messages contain would take
// far longer than the 20 ms a search may take (measured: ~300 ms). So matches are ranked in windows of
// the newest RANK_WINDOW: the best of the newest thousand first, then the best of the thousand before
// them, and so on as the reader pages. A query that matches fewer is ranked whole, as bm25 alone would.
// Snippets are made from the bodies of the page's messages (./snippet.ts).

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

/** A match: its seq and bm25 score (lower is better; 0 when only from: was asked). */
export type SearchHit = { seq: number; score: number };

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

export class SearchIndex {
  constructor(private readonly sql: SqlStorage) {}

  /** The best matches (bm25, then newest), `limit` at most, from `cursor` on; and where the next page starts. */
  ranked(
    terms: SearchTerms,
    limit: number,
    cursor: SearchCursor,
  ): { hits: SearchHit[]; next: SearchCursor | null } {
    const match = matchExpression(terms);
    const hits: SearchHit[] = [];
    let { top, skip } = cursor;
    for (;;) {
      // One evaluation of the query per window: its newest RANK_WINDOW matches with their scores,
      // and one more, the first of the next window (older). Ranking a thousand is then a JS sort.
      const newest = this.sql
        .exec<SearchHit>(
          `SELECT rowid AS seq, bm25(messages_fts, 1.0, 0.0) AS score FROM messages_fts
           WHERE messages_fts MATCH ? AND rowid <= ? ORDER BY rowid DESC LIMIT ?`,
          match,
          top,
          RANK_WINDOW + 1,
        )
        .toArray();
      const floor = newest[RANK_WINDOW]?.seq ?? 0;
      const window = newest.slice(0, RANK_WINDOW).sort((a, b) => a.score - b.score || b.seq - a.seq);
      const need = limit - hits.length;
      hits.push(...window.slice(skip, skip + need));
      if (window.length > skip + need) return { hits, next: { top, skip: skip + need } };
      if (floor === 0) return { hits, next: null };
      [top, skip] = [floor, 0];
      if (hits.length === limit) return { hits, next: { top, skip } };
    }
  }

  /** An author's messages (from: alone), newest first. */
  newest(
    terms: SearchTerms,
    limit: number,
    cursor: SearchCursor,
  ): { hits: SearchHit[]; next: SearchCursor | null } {
    const rows = this.sql
      .exec<{ seq: number }>(
        `SELECT rowid AS seq FROM messages_fts WHERE messages_fts MATCH ? AND rowid <= ?
         ORDER BY rowid DESC LIMIT ?`,
        matchExpression(terms),
        cursor.top,
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      hits: page.map((row) => ({ seq: row.seq, score: 0 })),
      next: rows.length > limit && last ? { top: last.seq - 1, skip: 0 } : null,
    };
  }
}
