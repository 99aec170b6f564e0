import type { Attachment, Message } from "../api/types";

// A room's timeline as the client holds it: confirmed messages keyed by seq, plus the sends of this
// client that the server has not confirmed yet. History pages, live frames, replays after a resume
// and confirmations may arrive in any order and more than once; merging by seq (and by clientId for
// our own sends) makes every arrival idempotent, so nothing is shown twice and nothing is lost.

export type PendingSend = {
  clientId: string;
  body: string;
  /** Uploaded files this send carries (shown with it, sent as attachmentIds). */
  attachments?: Attachment[];
  createdAt: string;
  status: "sending" | "failed";
  error?: string;
  /** A reply in this thread (its root's seq); the main timeline otherwise. */
  threadSeq?: number;
  /** The message it quotes, as it was shown in the composer. */
  quote?: NonNullable<Message["replyTo"]>;
};

export type Timeline = {
  /** Confirmed messages, ascending by seq, one per seq. */
  messages: Message[];
  /** Our unconfirmed sends (main timeline and threads), in the order they were written. */
  pending: PendingSend[];
  /** Whether older messages exist before messages[0]. */
  hasOlder: boolean;
  /**
   * After a jump to an older message: newer messages are missing after this seq, until they are
   * paged in (pageNewer). What is held past the gap (live messages) waits unseen; null: no gap.
   */
  gapAfter: number | null;
  /** The highest seq this client has received (thread replies too): where a resume starts. */
  seenSeq: number;
};

export const emptyTimeline: Timeline = {
  messages: [],
  pending: [],
  hasOlder: true,
  gapAfter: null,
  seenSeq: 0,
};

/** Adds or replaces messages by seq (a later copy, e.g. an edit, wins); keeps ascending order. */
export function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return existing;
  const bySeq = new Map<number, Message>();
  for (const message of existing) bySeq.set(message.seq, message);
  for (const message of incoming) {
    const known = bySeq.get(message.seq);
    // An edit or delete carries a newer editedAt/deletedAt; never let a stale copy overwrite it.
    if (!known || freshness(message) >= freshness(known)) bySeq.set(message.seq, message);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function freshness(message: Message): number {
  return Math.max(Date.parse(message.editedAt ?? "") || 0, Date.parse(message.deletedAt ?? "") || 0);
}

/** Confirmed messages arrive: merge them, and drop our pending sends they confirm. */
export function receive(timeline: Timeline, incoming: Message[], myUserId: string): Timeline {
  const confirmed = new Set(
    incoming
      .filter((message) => message.userId === myUserId && message.clientId)
      .map((message) => message.clientId),
  );
  // The main timeline leaves thread replies out (they arrive over the socket like any message, and
  // a resume replays them); a reply of ours still confirms its pending send.
  const main = incoming.filter((message) => message.threadSeq === null);
  const newest = incoming.reduce((seq, message) => Math.max(seq, message.seq), timeline.seenSeq);
  return {
    ...timeline,
    seenSeq: newest,
    messages: mergeMessages(timeline.messages, main),
    pending: confirmed.size
      ? timeline.pending.filter((send) => !confirmed.has(send.clientId))
      : timeline.pending,
  };
}

/** An older page of history. */
export function prependPage(
  timeline: Timeline,
  page: Message[],
  hasOlder: boolean,
  myUserId: string,
): Timeline {
  return { ...receive(timeline, page, myUserId), hasOlder };
}

export function addPending(timeline: Timeline, send: PendingSend): Timeline {
  if (timeline.pending.some((existing) => existing.clientId === send.clientId)) return timeline;
  return { ...timeline, pending: [...timeline.pending, send] };
}

export function markPending(
  timeline: Timeline,
  clientId: string,
  status: PendingSend["status"],
  error?: string,
): Timeline {
  return {
    ...timeline,
    pending: timeline.pending.map((send) => (send.clientId === clientId ? { ...send, status, error } : send)),
  };
}

export function dropPending(timeline: Timeline, clientId: string): Timeline {
  return { ...timeline, pending: timeline.pending.filter((send) => send.clientId !== clientId) };
}

/** The highest seq we have received: what to resume from with since=. */
export function lastSeq(timeline: Timeline): number {
  return Math.max(timeline.seenSeq, timeline.messages.at(-1)?.seq ?? 0);
}

/** The messages to show: all of them, or, while a gap is open, those before it. */
export function shownMessages(timeline: Timeline): Message[] {
  const gap = timeline.gapAfter;
  return gap === null ? timeline.messages : timeline.messages.filter((message) => message.seq <= gap);
}

/** The newest message on screen: what the reader has read once they see it. */
export function newestShownSeq(timeline: Timeline): number {
  return timeline.gapAfter === null ? lastSeq(timeline) : timeline.gapAfter;
}

/**
 * A page around one message (jump to it). What we hold stays; if the page does not reach it, a
 * gap opens after the page, and what lies beyond it is hidden until newer pages close the gap.
 * Live messages keep merging meanwhile, so closing the gap can never lose one.
 */
export function jumpedTo(
  held: Timeline,
  page: { messages: Message[]; hasMoreBefore: boolean; hasMoreAfter: boolean },
  myUserId: string,
): Timeline {
  // One gap at most: an earlier jump's page is let go first.
  const timeline = backToLatest(held);
  const pageLast = page.messages.at(-1)?.seq ?? 0;
  const heldFirst = timeline.messages[0]?.seq ?? Number.POSITIVE_INFINITY;
  const reachesHeld = !page.hasMoreAfter || pageLast >= heldFirst;
  const merged = receive(timeline, page.messages, myUserId);
  const pageFirst = page.messages[0]?.seq ?? 0;
  return {
    ...merged,
    hasOlder: pageFirst < heldFirst ? page.hasMoreBefore : timeline.hasOlder,
    gapAfter: reachesHeld ? timeline.gapAfter : pageLast,
  };
}

/** A page of messages after the gap: it closes once the page reaches what we hold past it. */
export function pageNewer(timeline: Timeline, page: Message[], hasMore: boolean, myUserId: string): Timeline {
  const gap = timeline.gapAfter;
  const merged = receive(timeline, page, myUserId);
  if (gap === null) return merged;
  const pageLast = page.at(-1)?.seq ?? gap;
  const heldAfterGap = timeline.messages.find((message) => message.seq > gap)?.seq;
  const closed = !hasMore || (heldAfterGap !== undefined && pageLast >= heldAfterGap);
  return { ...merged, gapAfter: closed ? null : pageLast };
}

/** Back to the newest messages: what was shown before the gap is let go, the rest is shown. */
export function backToLatest(timeline: Timeline): Timeline {
  const gap = timeline.gapAfter;
  if (gap === null) return timeline;
  return {
    ...timeline,
    messages: timeline.messages.filter((m) => m.seq > gap),
    hasOlder: true,
    gapAfter: null,
  };
}

let counter = 0;

/** A clientId unique to this send: resending it after a reconnect can never create a duplicate. */
export function newClientId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
