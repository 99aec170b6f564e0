// Who was mentioned in which message, kept until they read past it: the room list's mentionCount
// (unread messages mentioning you) is the number of marks past your read marker. `synced` says
// which marks D1 has not heard about yet.

export class MentionStore {
  constructor(private readonly sql: SqlStorage) {}

  mark(userIds: string[], seq: number): void {
    for (const userId of userIds)
      this.sql.exec(
        "INSERT OR IGNORE INTO mention_marks (user_id, seq, synced) VALUES (?, ?, 0)",
        userId,
        seq,
      );
  }

  /** A message that is deleted mentions nobody any more: its marks stop counting at the next sync. */
  unmark(seq: number): void {
    this.sql.exec("UPDATE mention_marks SET synced = 0 WHERE seq = ?", seq);
  }

  /** Members whose count changed since the last sync. */
  unsynced(): string[] {
    return this.sql
      .exec<{ user_id: string }>("SELECT DISTINCT user_id FROM mention_marks WHERE synced = 0")
      .toArray()
      .map((row) => row.user_id);
  }

  /** Unread mentions of this member (after `readSeq`, not deleted); marks they read past are dropped. */
  count(userId: string, readSeq: number): number {
    this.sql.exec("DELETE FROM mention_marks WHERE user_id = ? AND seq <= ?", userId, readSeq);
    return this.sql
      .exec<{ n: number }>(
        `SELECT count(*) AS n FROM mention_marks JOIN messages USING (seq)
         WHERE mention_marks.user_id = ? AND messages.deleted_at IS NULL`,
        userId,
      )
      .one().n;
  }

  markSynced(userIds: string[]): void {
    for (const userId of userIds)
      this.sql.exec("UPDATE mention_marks SET synced = 1 WHERE user_id = ?", userId);
  }
}
