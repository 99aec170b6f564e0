// A room's moderation records: bans and mutes (each until a time, or for good), reports of
// messages, blocks between the two people of a direct room, and the audit log.

export type Ban = { userId: string; byUserId: string; reason: string; at: number; until: number | null };
export type Mute = { userId: string; byUserId: string; at: number; until: number };
export type Report = { id: number; seq: number; reporterId: string; reason: string; at: number };
/** Plain values only: entries cross the RPC boundary and leave the API as JSON. */
export type AuditDetails = { [key: string]: string | number | boolean | null };

export type AuditEntry = {
  id: number;
  at: number;
  actorId: string;
  action: string;
  targetUserId: string | null;
  seq: number | null;
  details: AuditDetails | null;
};

type BanRow = { user_id: string; by_user_id: string; reason: string; at: number; until: number | null };
type MuteRow = { user_id: string; by_user_id: string; at: number; until: number };
type AuditRow = {
  id: number;
  at: number;
  actor_id: string;
  action: string;
  target_user_id: string | null;
  seq: number | null;
  details: string | null;
};

const toBan = (row: BanRow): Ban => ({
  userId: row.user_id,
  byUserId: row.by_user_id,
  reason: row.reason,
  at: row.at,
  until: row.until,
});

export class ModerationStore {
  // Every message asks "is the author muted, or blocked here?": two queries per message, about a
  // tenth of the send path's time in bench/profile.ts (scenario l). Mutes and blocks change rarely and
  // only through this store, so both are read once into memory and forgotten on every write (a write
  // whose transaction rolls back just means one more read).
  private mutesByUser: Map<string, Mute> | null = null;
  private blockedIds: Set<string> | null = null;

  constructor(private readonly sql: SqlStorage) {}

  // ── Bans ──
  activeBan(userId: string, now = Date.now()): Ban | null {
    const row = this.sql
      .exec<BanRow>("SELECT * FROM bans WHERE user_id = ? AND (until IS NULL OR until > ?)", userId, now)
      .toArray()[0];
    return row ? toBan(row) : null;
  }

  bans(now = Date.now()): Ban[] {
    return this.sql
      .exec<BanRow>("SELECT * FROM bans WHERE until IS NULL OR until > ? ORDER BY at DESC", now)
      .toArray()
      .map(toBan);
  }

  ban(ban: Ban): void {
    this.sql.exec(
      "INSERT OR REPLACE INTO bans (user_id, by_user_id, reason, at, until) VALUES (?, ?, ?, ?, ?)",
      ban.userId,
      ban.byUserId,
      ban.reason,
      ban.at,
      ban.until,
    );
  }

  unban(userId: string): boolean {
    return this.sql.exec("DELETE FROM bans WHERE user_id = ?", userId).rowsWritten > 0;
  }

  // ── Mutes ──
  activeMute(userId: string, now = Date.now()): Mute | null {
    this.mutesByUser ??= new Map(
      this.sql
        .exec<MuteRow>("SELECT * FROM mutes")
        .toArray()
        .map((row) => [
          row.user_id,
          { userId: row.user_id, byUserId: row.by_user_id, at: row.at, until: row.until },
        ]),
    );
    const mute = this.mutesByUser.get(userId);
    return mute && mute.until > now ? mute : null;
  }

  mutes(now = Date.now()): Mute[] {
    return this.sql
      .exec<MuteRow>("SELECT * FROM mutes WHERE until > ? ORDER BY at DESC", now)
      .toArray()
      .map((row) => ({ userId: row.user_id, byUserId: row.by_user_id, at: row.at, until: row.until }));
  }

  mute(mute: Mute): void {
    this.mutesByUser = null;
    this.sql.exec(
      "INSERT OR REPLACE INTO mutes (user_id, by_user_id, at, until) VALUES (?, ?, ?, ?)",
      mute.userId,
      mute.byUserId,
      mute.at,
      mute.until,
    );
  }

  unmute(userId: string): boolean {
    this.mutesByUser = null;
    return this.sql.exec("DELETE FROM mutes WHERE user_id = ?", userId).rowsWritten > 0;
  }

  // ── Reports ──
  report(seq: number, reporterId: string, reason: string, at = Date.now()): Report {
    const row = this.sql
      .exec<{ id: number }>(
        "INSERT INTO reports (seq, reporter_id, reason, at) VALUES (?, ?, ?, ?) RETURNING id",
        seq,
        reporterId,
        reason,
        at,
      )
      .one();
    return { id: row.id, seq, reporterId, reason, at };
  }

  reports(): Report[] {
    return this.sql
      .exec<{ id: number; seq: number; reporter_id: string; reason: string; at: number }>(
        "SELECT * FROM reports ORDER BY id DESC LIMIT 500",
      )
      .toArray()
      .map((row) => ({
        id: row.id,
        seq: row.seq,
        reporterId: row.reporter_id,
        reason: row.reason,
        at: row.at,
      }));
  }

  // ── Blocks (direct rooms) ──
  setBlock(blockerId: string, blockedId: string, on: boolean): void {
    this.blockedIds = null;
    if (on)
      this.sql.exec(
        "INSERT OR IGNORE INTO blocks (blocker_id, blocked_id) VALUES (?, ?)",
        blockerId,
        blockedId,
      );
    else this.sql.exec("DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?", blockerId, blockedId);
  }

  /** Whether someone in this room blocked `userId`. */
  isBlocked(userId: string): boolean {
    this.blockedIds ??= new Set(
      this.sql
        .exec<{ blocked_id: string }>("SELECT blocked_id FROM blocks")
        .toArray()
        .map((row) => row.blocked_id),
    );
    return this.blockedIds.has(userId);
  }

  // ── Audit log ──
  audit(entry: Omit<AuditEntry, "id" | "at"> & { at?: number }): void {
    this.sql.exec(
      "INSERT INTO audit (at, actor_id, action, target_user_id, seq, details) VALUES (?, ?, ?, ?, ?, ?)",
      entry.at ?? Date.now(),
      entry.actorId,
      entry.action,
      entry.targetUserId,
      entry.seq,
      entry.details ? JSON.stringify(entry.details) : null,
    );
  }

  /** Newest first; `before` is an entry id. */
  auditPage(before: number, limit: number): { entries: AuditEntry[]; hasMore: boolean } {
    const rows = this.sql
      .exec<AuditRow>("SELECT * FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?", before, limit + 1)
      .toArray();
    return {
      entries: rows.slice(0, limit).map((row) => ({
        id: row.id,
        at: row.at,
        actorId: row.actor_id,
        action: row.action,
        targetUserId: row.target_user_id,
        seq: row.seq,
        details: row.details ? (JSON.parse(row.details) as AuditDetails) : null,
      })),
      hasMore: rows.length > limit,
    };
  }
}
