// The room's call, as far as it must outlast any one socket: when it started, who started it,
// everyone who took part (the call message names them all, also those who left early), and whom a
// direct call rings until when (the alarm stops the ringing after CALL_RING_MS). Who is in the call
// right now is not here: that is on the participants' sockets (see ../calls.ts). One row at most.

export type CurrentCall = {
  startedAt: number;
  startedBy: string;
  /** Everyone who joined, in the order they first did. */
  participantIds: string[];
  /** A direct call that still rings: whom, and until when (ms). */
  ringing: { userId: string; until: number } | null;
};

type CallRow = {
  started_at: number;
  started_by: string;
  participant_ids: string;
  ringing_user_id: string | null;
  ring_until: number | null;
};

export class CallStore {
  /** undefined: not read yet; null: no call. The room is the only writer, so this never goes stale. */
  private cached: CurrentCall | null | undefined;

  constructor(private readonly sql: SqlStorage) {}

  forget(): void {
    this.cached = undefined;
  }

  current(): CurrentCall | null {
    if (this.cached === undefined) {
      const row = this.sql.exec<CallRow>("SELECT * FROM current_call WHERE id = 1").toArray()[0];
      this.cached = row
        ? {
            startedAt: row.started_at,
            startedBy: row.started_by,
            participantIds: JSON.parse(row.participant_ids) as string[],
            ringing:
              row.ringing_user_id !== null && row.ring_until !== null
                ? { userId: row.ringing_user_id, until: row.ring_until }
                : null,
          }
        : null;
    }
    return this.cached;
  }

  start(startedBy: string, at: number): CurrentCall {
    const call: CurrentCall = { startedAt: at, startedBy, participantIds: [startedBy], ringing: null };
    this.save(call);
    return call;
  }

  /** Someone joined: the call message will name them. */
  joined(userId: string): void {
    const call = this.current();
    if (call && !call.participantIds.includes(userId))
      this.save({ ...call, participantIds: [...call.participantIds, userId] });
  }

  ring(userId: string, until: number): void {
    const call = this.current();
    if (call) this.save({ ...call, ringing: { userId, until } });
  }

  stopRinging(): void {
    const call = this.current();
    if (call?.ringing) this.save({ ...call, ringing: null });
  }

  end(): void {
    this.sql.exec("DELETE FROM current_call WHERE id = 1");
    this.cached = null;
  }

  private save(call: CurrentCall): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO current_call (id, started_at, started_by, participant_ids, ringing_user_id, ring_until)
       VALUES (1, ?, ?, ?, ?, ?)`,
      call.startedAt,
      call.startedBy,
      JSON.stringify(call.participantIds),
      call.ringing?.userId ?? null,
      call.ringing?.until ?? null,
    );
    this.cached = call;
  }
}
