// Small facts a room keeps about itself, each under one name, cached (the room is the only writer
// of its SQLite, so the cache can never be stale).

const KEYS = {
  /** The room's id: the object learns it from the first call the Worker makes. */
  roomId: "room_id",
  /** When the room-list summary is due to be written to D1 (ms), while one is pending. */
  summaryDueAt: "summary_due",
  /** When the summary was last written (ms): the next one waits at least the flush interval. */
  summaryFlushedAt: "summary_flushed_at",
  /** Set once the member list was loaded from D1 (rooms made before the room kept its members). */
  membersLoaded: "members_loaded",
  /** When it was loaded (ms). */
  membersLoadedAt: "members_loaded_at",
  /** The room's kind (public, private, direct), learnt from D1 with its members. */
  kind: "kind",
} as const;

export type MetaKey = keyof typeof KEYS;

export class RoomMeta {
  private readonly cache = new Map<MetaKey, string | null>();

  constructor(private readonly sql: SqlStorage) {}

  get(key: MetaKey): string | null {
    if (!this.cache.has(key)) {
      const row = this.sql
        .exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", KEYS[key])
        .toArray()[0];
      this.cache.set(key, row?.value ?? null);
    }
    return this.cache.get(key) ?? null;
  }

  set(key: MetaKey, value: string | null): void {
    if (this.get(key) === value) return;
    if (value === null) this.sql.exec("DELETE FROM meta WHERE key = ?", KEYS[key]);
    else this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", KEYS[key], value);
    this.cache.set(key, value);
  }

  /** A time in ms, or null when none is set. */
  time(key: "summaryDueAt" | "summaryFlushedAt"): number | null {
    const value = this.get(key);
    return value === null ? null : Number(value);
  }

  setTime(key: "summaryDueAt" | "summaryFlushedAt", at: number | null): void {
    this.set(key, at === null ? null : String(at));
  }

  forget(): void {
    this.cache.clear();
  }
}
