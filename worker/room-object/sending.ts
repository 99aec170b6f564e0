import type { ClientFrameOf } from "../protocol/frames";
import type { Message } from "../protocol/messages";
import { type Caller, type Draft, done, type Outcome, type Refusal, refuse } from "./api";
import type { RoomParts } from "./parts";
import type { NewMessage, Stored } from "./store";
import { messageBucket, type TokenBucket } from "./token-bucket";

// Sending: how a message gets its seq. REST sends and socket frames pass the same admission rule,
// then are stored, and only then told to anyone (see `stored`, which the Room wires to broadcast).
//
// Admission: a repeat (same author, same clientId) is answered with the first message and never
// costs a token, even when the sender's bucket is empty; anything else takes a token or is refused
// with rate_limited and not stored.
//
// Group commit. Every event that writes to SQLite ends in a commit of its own, and in workerd a
// commit costs far more than the INSERT (about 1 ms of the object's one thread, measured by bench/:
// a Durable Object that inserts one row per frame tops out near 700 frames/s, one that batches them
// near 3,000). So message frames are queued and written together, one transaction for whatever
// arrived meanwhile, by a zero-delay timer: alone, a message waits for nothing; under load, each
// commit carries many. Seqs are assigned in the write, and nothing is broadcast (or confirmed)
// before it; the output gate holds the frames until the commit is durable.

/** What the admission rule decides for one send. */
type Admission =
  | { kind: "go" }
  | { kind: "repeat"; first: Message }
  | { kind: "limited"; retryAfter: number };

const TOO_MANY = "Too many messages; slow down.";

/** A message frame accepted from a socket, waiting for the next group commit. */
type Queued = { message: NewMessage; socket: WebSocket };

export type SendingHooks = {
  /** Why this person may not post here now (muted, blocked), or null. */
  refusalToPost(userId: string): string | null;
  /** The draft as it will be stored (its thread, quote and mentions checked), or why not. */
  prepare(userId: string, draft: Draft): NewMessage | Refusal;
  /** A new message was stored: tell the room. Runs once per message, in seq order. */
  stored(message: Message): void;
  /** A commit stored at least one new message. */
  committed(): Promise<void>;
};

export class Sending {
  private queue: Queued[] = [];
  private readonly queuedKeys = new Set<string>();
  private commitTimer: ReturnType<typeof setTimeout> | undefined;
  // One bucket per person in this room, shared by REST and all of their sockets (five sockets do not
  // send five times the rate). Buckets live in memory: a room only hibernates after being idle for a
  // while, and after any idle time a bucket is full anyway.
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly parts: RoomParts,
    private readonly hooks: SendingHooks,
  ) {}

  /** A `message` frame: queued for the next group commit; its broadcast confirms it to the sender. */
  receiveFrame(socket: WebSocket, frame: ClientFrameOf<"message">): void {
    const { userId } = this.parts.sockets.state(socket);
    const key = `${userId}\n${frame.clientId}`;
    if (this.queuedKeys.has(key)) return; // still queued from an earlier frame: its broadcast confirms both
    const { clientId } = frame;
    const refusal = this.hooks.refusalToPost(userId);
    if (refusal) {
      this.parts.sockets.send(socket, { type: "error", code: "forbidden", message: refusal, clientId });
      return;
    }
    const { body, threadSeq, replyTo, attachmentIds } = frame;
    const draft: Draft = { body, clientId, threadSeq, replyTo, attachmentIds };
    const prepared = this.hooks.prepare(userId, draft);
    if ("ok" in prepared) {
      this.parts.sockets.send(socket, {
        type: "error",
        code: prepared.code,
        message: prepared.message,
        clientId,
      });
      return;
    }
    const admission = this.admit(userId, frame.clientId);
    if (admission.kind === "repeat") {
      this.parts.sockets.send(socket, { type: "message", message: admission.first });
      return;
    }
    if (admission.kind === "limited") {
      this.parts.sockets.send(socket, { type: "error", code: "rate_limited", message: TOO_MANY, clientId });
      return;
    }
    this.queue.push({ message: prepared, socket });
    this.queuedKeys.add(key);
    this.commitTimer ??= setTimeout(() => this.commit(), 0);
  }

  /** A send over REST: stored at once (after whatever frames are queued), then told to everyone. */
  async post(caller: Caller, draft: Draft): Promise<Outcome<Stored>> {
    const refusal = this.hooks.refusalToPost(caller.userId);
    if (refusal) return refuse("forbidden", refusal);
    const prepared = this.hooks.prepare(caller.userId, draft);
    if ("ok" in prepared) return prepared;
    const clientId = draft.clientId ?? undefined;
    const admission = this.admit(caller.userId, clientId);
    if (admission.kind === "repeat") return done({ message: admission.first, created: false });
    if (admission.kind === "limited") return refuse("rate_limited", TOO_MANY, admission.retryAfter);
    const stored = this.parts.store.messages.append(prepared);
    if (!stored.created) {
      this.bucketOf(caller.userId).refund(); // a repeat costs nothing
      return done(stored);
    }
    this.hooks.stored(stored.message);
    await this.hooks.committed();
    return done(stored);
  }

  /** Writes every queued frame in one transaction, then tells everyone, in seq order. */
  commit(): void {
    if (this.commitTimer !== undefined) clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.queuedKeys.clear();
    let storedAny = false;
    for (const item of batch) {
      const stored = this.parts.store.messages.append(item.message);
      if (stored.created) {
        this.hooks.stored(stored.message);
        storedAny = true;
      } else {
        this.bucketOf(item.message.userId).refund(); // a repeat costs nothing; it is answered to its sender only
        this.parts.sockets.send(item.socket, { type: "message", message: stored.message });
      }
    }
    if (storedAny) this.parts.ctx.waitUntil(this.hooks.committed());
  }

  /** The room is gone: what is queued is never stored, so never confirmed. */
  discard(): void {
    if (this.commitTimer !== undefined) clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    this.queue = [];
    this.queuedKeys.clear();
  }

  /**
   * The admission rule. An empty bucket still answers a repeat with the stored message; on the
   * common path the INSERT itself (unique index) tells a repeat apart, so no lookup is made.
   */
  private admit(userId: string, clientId: string | undefined): Admission {
    const taken = this.bucketOf(userId).take();
    if (taken.ok) return { kind: "go" };
    const first = clientId ? this.parts.store.messages.byClientId(userId, clientId) : null;
    return first ? { kind: "repeat", first } : { kind: "limited", retryAfter: taken.retryAfterSeconds };
  }

  private bucketOf(userId: string): TokenBucket {
    let bucket = this.buckets.get(userId);
    if (!bucket) {
      bucket = messageBucket(this.parts.env);
      this.buckets.set(userId, bucket);
    }
    return bucket;
  }
}
