import { DurableObject } from "cloudflare:workers";

// One RateLimiter Durable Object per limit key ("signUp:203.0.113.7", "createRoom:<userId>", …): the
// whole state of one key, in the object's own SQLite.
//
// Why a Durable Object per key rather than one conditional D1 statement: both can count atomically
// (an object runs one event at a time and its SQLite calls are synchronous; D1 could do it with an
// UPSERT … WHERE … RETURNING). But D1 is one primary database in one place: every limited call would
// become a write on the database everything else uses, from wherever the caller is, and the rows of
// keys that went quiet would need a sweeper. An object per key is created near its first caller (an
// address or a person is usually in one place), keys never contend with each other or with D1, and
// each object forgets itself with an alarm once its state no longer matters. The price is one RPC per
// limited call (about a millisecond within a colo).
//
// Two kinds of state, both counted when the call arrives, before the work it guards is done, so
// parallel calls cannot slip past the limit together:
// - a rate (GCRA, the "generic cell rate algorithm"): `count` calls per `periodMs`, all of them at
//   once if the key was quiet; one theoretical arrival time (tat) is the whole state;
// - a back-off: `free` failures, then each further attempt waits base·2^k (up to a maximum) after the
//   previous one; an attempt is counted as a failure until the caller says it succeeded.

export type Rate = { count: number; periodMs: number };
export type Backoff = { free: number; baseMs: number; maxMs: number; memoryMs: number };
export type Verdict = { ok: true } | { ok: false; retryAfterMs: number };

type State = { tat: number; failures: number; blocked_until: number };

export class RateLimiter extends DurableObject<Env> {
  /** Takes one call from the rate, or says how long until one is free. */
  async take(rate: Rate): Promise<Verdict> {
    const now = Date.now();
    const interval = rate.periodMs / rate.count;
    const tat = Math.max(this.state().tat, now) + interval;
    // Allowed while the calls not yet "paid back" fit in one period.
    if (tat - now > rate.periodMs) return { ok: false, retryAfterMs: tat - now - rate.periodMs };
    this.save({ tat });
    await this.forgetAt(tat);
    return { ok: true };
  }

  /** Gives back one call taken from the rate (e.g. a sign-in that turned out right). */
  async giveBack(rate: Rate): Promise<void> {
    const { tat } = this.state();
    if (tat <= Date.now()) return;
    this.save({ tat: Math.max(Date.now(), tat - rate.periodMs / rate.count) });
  }

  /** One attempt under a back-off: counted as a failure now, unless `succeeded` clears it later. */
  async attempt(backoff: Backoff): Promise<Verdict> {
    const now = Date.now();
    const state = this.state();
    if (state.blocked_until > now) return { ok: false, retryAfterMs: state.blocked_until - now };
    const failures = state.failures + 1;
    const waits = failures - backoff.free;
    const blockedUntil = waits < 0 ? 0 : now + Math.min(backoff.maxMs, backoff.baseMs * 2 ** waits);
    this.save({ failures, blocked_until: blockedUntil });
    // Failures are remembered for a while after the last one, then the key starts afresh.
    await this.forgetAt(Math.max(blockedUntil, now) + backoff.memoryMs);
    return { ok: true };
  }

  /** The attempt succeeded: its failure and every earlier one are forgotten. */
  async succeeded(): Promise<void> {
    this.save({ failures: 0, blocked_until: 0 });
  }

  /** Nothing here matters any more: the key starts afresh (and the object is deleted). */
  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  /**
   * The object's SQLite with its one table. Made on every use rather than once in the constructor:
   * the alarm's deleteAll drops it, and the object may live on in memory afterwards.
   */
  private get sql(): SqlStorage {
    const sql = this.ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      tat REAL NOT NULL DEFAULT 0,
      failures INTEGER NOT NULL DEFAULT 0,
      blocked_until INTEGER NOT NULL DEFAULT 0
    )`);
    return sql;
  }

  private state(): State {
    const [row] = this.sql
      .exec<State>("SELECT tat, failures, blocked_until FROM state WHERE id = 1")
      .toArray();
    return row ?? { tat: 0, failures: 0, blocked_until: 0 };
  }

  private save(change: Partial<State>): void {
    const next = { ...this.state(), ...change };
    this.sql.exec(
      `INSERT INTO state (id, tat, failures, blocked_until) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET tat = excluded.tat, failures = excluded.failures,
         blocked_until = excluded.blocked_until`,
      next.tat,
      next.failures,
      next.blocked_until,
    );
  }

  /** The state is worthless after `time`: delete it then (never earlier than already planned). */
  private async forgetAt(time: number): Promise<void> {
    const planned = await this.ctx.storage.getAlarm();
    if (planned === null || planned < time) await this.ctx.storage.setAlarm(time);
  }
}
