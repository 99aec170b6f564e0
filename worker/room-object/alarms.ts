// A Durable Object has one alarm. Several concerns need a wake-up (the room-list flush, typing that
// stops by itself), so each registers a task that says when it is next due, and the one alarm is set
// for the earliest of them. Each task keeps its due time where it survives eviction (SQLite, socket
// attachments), so a woken object can recompute it.

export type AlarmTask = {
  /** When this task next needs to run (ms), or null when it has nothing to do. */
  due(): number | null;
  run(now: number): Promise<void> | void;
};

export class AlarmClock {
  private readonly tasks: AlarmTask[] = [];

  constructor(private readonly storage: DurableObjectStorage) {}

  register(task: AlarmTask): void {
    this.tasks.push(task);
  }

  /** Makes sure the alarm rings no later than the earliest due task. */
  async schedule(): Promise<void> {
    const next = this.earliest();
    if (next === null) return;
    const current = await this.storage.getAlarm();
    if (current === null || next < current || current < Date.now()) await this.storage.setAlarm(next);
  }

  /** The alarm rang: run every task that is due, in the order they registered, then set the next one. */
  async ring(now = Date.now()): Promise<void> {
    for (const task of this.tasks) {
      const due = task.due();
      if (due !== null && due <= now) await task.run(now);
    }
    await this.schedule();
  }

  async stop(): Promise<void> {
    await this.storage.deleteAlarm();
  }

  private earliest(): number | null {
    let next: number | null = null;
    for (const task of this.tasks) {
      const due = task.due();
      if (due !== null && (next === null || due < next)) next = due;
    }
    return next;
  }
}
