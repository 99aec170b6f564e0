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
//
// The last word is a prefix, and FTS5 answers a prefix (`the*`) by merging the whole doclists of
// every word it starts (the, them, then, there …) before it reads a single match, so the window does
// not bound it: 84 ms at 100,000 messages. Asked as those words by name (`the OR them OR …`, read
// from the index's vocabulary, migration 0007_search_terms), FTS5 walks them newest first and
// stops at the window: the same matches at a whole word's cost. A prefix that starts more than
// MAX_COMPLETIONS words, or that is not plain ASCII (where this code could fold it otherwise than
// the tokenizer does), is left to FTS5's prefix query: the same answer, at its cost.

export const RANK_WINDOW = 1000;
/** Past this many words a prefix stands for, an OR of them costs as much as the prefix query. */
export const MAX_COMPLETIONS = 32;
const COMPLETABLE = /^[A-Za-z0-9]{2,}$/;

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

/**
 * The FTS5 expression for these terms: every word and phrase in the body, any of the authors. The
 * last word (of two characters or more) is a prefix: `completions`, when given, are the words of the
 * index it starts, asked by name.
 */
function matchExpression(terms: SearchTerms, completions: string[] | null = null): string {
  const last = terms.words.length - 1;
  const words = terms.words.map((word, index) => {
    if (index !== last || word.length < 2) return literal(word);
    if (completions === null || completions.length === 0) return `${literal(word)} *`;
    return `(${completions.map(literal).join(" OR ")})`;
  });
  const inBody = [...words, ...terms.phrases.map(literal)];
  const parts: string[] = [];
  if (inBody.length > 0) parts.push(`body : (${inBody.join(" AND ")})`);
  if (terms.authorIds)
    parts.push(`author : (${terms.authorIds.map((id) => literal(id.replaceAll("-", ""))).join(" OR ")})`);
  return parts.join(" AND ");
}

export class SearchIndex {
  constructor(private readonly sql: SqlStorage) {}

  /** The FTS5 expression for these terms, the last word's completions read from the index. */
  expression(terms: SearchTerms): string {
    return matchExpression(terms, this.completions(terms.words.at(-1)));
  }

  /** The words of the index that `prefix` starts, or null where FTS5's prefix query must answer. */
  private completions(prefix: string | undefined): string[] | null {
    if (prefix === undefined || !COMPLETABLE.test(prefix)) return null;
    const from = prefix.toLowerCase();
    const to = from.slice(0, -1) + String.fromCharCode(from.charCodeAt(from.length - 1) + 1);
    const words = this.sql
      .exec<{ term: string }>(
        "SELECT term FROM messages_fts_terms WHERE term >= ? AND term < ? AND col = 'body' LIMIT ?",
        from,
        to,
        MAX_COMPLETIONS + 1,
      )
      .toArray()
      .map((row) => row.term);
    return words.length > MAX_COMPLETIONS ? null : words;
  }

  /** The best matches (bm25, then newest), `limit` at most, from `cursor` on; and where the next page starts. */
  ranked(
    terms: SearchTerms,
    limit: number,
    cursor: SearchCursor,
  ): { hits: SearchHit[]; next: SearchCursor | null } {
    const match = this.expression(terms);
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
        this.expression(terms),
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
