import type { Receipt } from "../protocol/frames";
import type { Message } from "../protocol/messages";
import type { RoomParts } from "./parts";

// Receipts (API.md): a message is delivered to a member once it reached one of their devices
// (`deliveredSeq` ≥ its seq), read once their `readSeq` ≥ its seq.
//
// Delivery moves with every message to every member, so it is coalesced: a member's new delivery
// marker is noted in memory and told to the room in one `receipt` per member per window, instead of
// one per message. Read markers are written at once and told in the same window. The window is each
// member's own (API.md: "a member's markers at most once per 250 ms window per socket"): a marker
// whose member was last told 250 ms ago or more goes out with the commit that moved it, in its turn
// (a ?batch=1 socket gets it in the same frame as the message), so that the receipts of a busy room
// are spread over its commits instead of gathered into one burst of sends every 250 ms that the
// messages behind it wait for; the timer tells the rest when their window ends. In a room of more
// than BIG_ROOM members, a move of the delivery marker alone is not told to everyone (API.md "Real
// time, extended": the room's members would get members × messages frames for a tick that only a
// direct chat's sender looks at); read markers always are, and the welcome carries all of them.

const RECEIPT_WINDOW_MS = 250;
const BIG_ROOM = 20;

export class Receipts {
  /** userId → the highest seq that reached one of their sockets and is not yet recorded. */
  private readonly delivered = new Map<string, number>();
  /** Members whose markers moved since the last `receipt` frames. */
  private readonly moved = new Set<string>();
  /** Those of them whose read marker moved (always told). */
  private readonly read = new Set<string>();
  /** userId → when their markers were last told (for their window). */
  private readonly toldAt = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly parts: RoomParts,
    /** While a room-list flush is pending, delivery markers ride along with it instead of a commit of their own. */
    private readonly flushPending: () => boolean,
  ) {}

  all(): Receipt[] {
    return this.parts.store.receipts.all();
  }

  /** Messages up to `seq` reached one of this member's devices. */
  markDelivered(userId: string, seq: number): void {
    if ((this.delivered.get(userId) ?? 0) < seq) this.delivered.set(userId, seq);
    this.queue(userId);
  }

  /** Moves a member's read marker forward (never back, never past the last message); true if it moved. */
  markRead(userId: string, seq: number): boolean {
    const target = Math.min(seq, this.parts.store.messages.lastSeq());
    if (!this.parts.store.receipts.readUpTo(userId, target)) return false;
    this.read.add(userId);
    this.queue(userId);
    return true;
  }

  /** The author has read their own message. */
  authored(message: Message): void {
    if (this.parts.store.receipts.readUpTo(message.userId, message.seq)) this.read.add(message.userId);
    this.queue(message.userId);
  }

  /**
   * A group commit just told the room its messages: the markers whose window is over go out now,
   * in the same turn as the messages (one send instead of two for a ?batch=1 socket).
   */
  committed(): void {
    if (this.moved.size === 0) return;
    this.foldDelivered();
    this.tell(Date.now());
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.delivered.clear();
    this.moved.clear();
    this.read.clear();
    this.toldAt.clear();
  }

  private queue(userId: string): void {
    this.moved.add(userId);
    this.timer ??= setTimeout(() => this.flush(), RECEIPT_WINDOW_MS);
  }

  /** The timer: records the coalesced delivery markers, tells those whose window is over, waits for the rest. */
  private flush(): void {
    this.timer = undefined;
    this.foldDelivered();
    if (!this.flushPending()) this.parts.store.receipts.saveDelivered();
    const now = Date.now();
    this.tell(now);
    if (this.moved.size === 0) return;
    const next = Math.min(
      ...[...this.moved].map((userId) => (this.toldAt.get(userId) ?? 0) + RECEIPT_WINDOW_MS),
    );
    this.timer = setTimeout(() => this.flush(), Math.max(1, next - now));
  }

  /** The delivery markers noted since, moved in memory (saved by the timer or the room-list flush). */
  private foldDelivered(): void {
    const store = this.parts.store.receipts;
    for (const [userId, seq] of this.delivered) if (store.deliveredUpTo(userId, seq)) this.moved.add(userId);
    this.delivered.clear();
  }

  /** A `receipt` to the room for each member whose markers moved and whose window is over. */
  private tell(now: number): void {
    const store = this.parts.store.receipts;
    const big = this.parts.store.members.count() > BIG_ROOM;
    for (const userId of this.moved) {
      if (now - (this.toldAt.get(userId) ?? 0) < RECEIPT_WINDOW_MS) continue;
      this.moved.delete(userId);
      if (!this.read.delete(userId) && big) continue;
      this.toldAt.set(userId, now);
      this.parts.sockets.broadcast({ type: "receipt", ...store.of(userId) });
    }
  }
}
