import type { Message } from "../api/types";
import { mergeMessages } from "./timeline";

// Threads as the client holds them: the replies of each thread opened in this visit to the room,
// kept apart from the main timeline (which leaves replies out). A reply arrives over the room's
// socket like any message and joins its thread if we hold that thread; the root's counters
// ("3 replies · last 2 min ago") come from the server as `message_updated` on the root.

export type ThreadReplies = {
  /** The root as last heard of (its `thread` counters move with each reply). */
  root: Message | null;
  /** Replies, ascending by seq. */
  messages: Message[];
  /** Whether older replies exist before messages[0]. */
  hasOlder: boolean;
};

export type Threads = ReadonlyMap<number, ThreadReplies>;

/** The newest page of a thread's replies arrived (or came again after a reconnect). */
export function threadOpened(
  threads: Threads,
  root: Message,
  replies: Message[],
  hasOlder: boolean,
): Threads {
  const known = threads.get(root.seq);
  const messages = mergeMessages(known?.messages ?? [], replies);
  return new Map(threads).set(root.seq, {
    root: newer(known?.root ?? null, root),
    messages,
    hasOlder: known ? known.hasOlder && hasOlder : hasOlder,
  });
}

/** An older page of a thread's replies. */
export function threadOlder(
  threads: Threads,
  rootSeq: number,
  replies: Message[],
  hasOlder: boolean,
): Threads {
  const known = threads.get(rootSeq);
  if (!known) return threads;
  return new Map(threads).set(rootSeq, {
    ...known,
    messages: mergeMessages(known.messages, replies),
    hasOlder,
  });
}

/**
 * Messages from the socket or the API: replies join the threads we hold, and a root we hold gets
 * its new counters (or its edit). Everything else leaves the threads as they were.
 */
export function threadsReceive(threads: Threads, incoming: Message[]): Threads {
  let next: Map<number, ThreadReplies> | null = null;
  for (const message of incoming) {
    const rootSeq = message.threadSeq ?? message.seq;
    const thread = (next ?? threads).get(rootSeq);
    if (!thread) continue;
    next ??= new Map(threads);
    next.set(
      rootSeq,
      message.threadSeq === null
        ? { ...thread, root: newer(thread.root, message) }
        : { ...thread, messages: mergeMessages(thread.messages, [message]) },
    );
  }
  return next ?? threads;
}

/** Applies a change to one message wherever a thread holds it (a reaction, say). */
export function threadsUpdate(threads: Threads, seq: number, change: (message: Message) => Message): Threads {
  let next: Map<number, ThreadReplies> | null = null;
  for (const [rootSeq, thread] of threads) {
    const isRoot = thread.root?.seq === seq;
    const holds = thread.messages.some((message) => message.seq === seq);
    if (!isRoot && !holds) continue;
    next ??= new Map(threads);
    next.set(rootSeq, {
      ...thread,
      root: isRoot && thread.root ? change(thread.root) : thread.root,
      messages: holds
        ? thread.messages.map((message) => (message.seq === seq ? change(message) : message))
        : thread.messages,
    });
  }
  return next ?? threads;
}

/** The later of two copies of one message, as the main timeline decides it (mergeMessages). */
function newer(known: Message | null, incoming: Message): Message {
  return known ? (mergeMessages([known], [incoming])[0] ?? incoming) : incoming;
}

/**
 * Whether a thread has replies you have not seen, in a thread you took part in (you wrote the root
 * or a reply). What you have seen is the root's `lastReplyAt` when you last had the thread open,
 * kept in this browser (thread-reads.ts): the server keeps no per-thread read marker.
 */
export function isThreadUnread(root: Message, me: string, seenLastReplyAt: string | undefined): boolean {
  const thread = root.thread;
  if (!thread) return false;
  const tookPart = root.userId === me || thread.participantIds.includes(me);
  if (!tookPart) return false;
  return seenLastReplyAt === undefined || Date.parse(thread.lastReplyAt) > Date.parse(seenLastReplyAt);
}
