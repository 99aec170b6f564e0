// Who reacted to which message with which emoji: one row per (message, emoji, person), so a
// reaction is idempotent by construction.

export class ReactionStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Adds (on) or removes a reaction; true if anything changed. */
  set(seq: number, emoji: string, userId: string, on: boolean): boolean {
    const cursor = on
      ? this.sql.exec(
          "INSERT OR IGNORE INTO reactions (seq, emoji, user_id, at) VALUES (?, ?, ?, ?)",
          seq,
          emoji,
          userId,
          Date.now(),
        )
      : this.sql.exec(
          "DELETE FROM reactions WHERE seq = ? AND emoji = ? AND user_id = ?",
          seq,
          emoji,
          userId,
        );
    return cursor.rowsWritten > 0;
  }

  /** The distinct emoji a message already carries. */
  emojis(seq: number): string[] {
    return this.sql
      .exec<{ emoji: string }>("SELECT DISTINCT emoji FROM reactions WHERE seq = ?", seq)
      .toArray()
      .map((row) => row.emoji);
  }
}
