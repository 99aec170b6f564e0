import type { Message } from "../api/types";

// A room's timeline as the client holds it: confirmed messages keyed by seq, plus the sends of this
// client that the server has not confirmed yet. History pages, live frames, replays after a resume
// and confirmations may arrive in any order and more than once; merging by seq (and by clientId for
// our own sends) makes every arrival idempotent, so nothing is shown twice and nothing is lost.

export type PendingSend = {
  clientId: string;
  body: string;
  createdAt: string;
  status: "sending" | "failed";
  error?: string;
};

export type Timeline = {
  /** Confirmed messages, ascending by seq, one per seq, with no gap between them. */
  messages: Message[];
  /** Our unconfirmed sends, in the order they were written. */
  pending: PendingSend[];
  /** Whether older messages exist before messages[0]. */
  hasOlder: boolean;
  /**
   * Whether newer messages exist after the last one shown: the reader jumped to an older message
   * (a search result) and has not paged down to the live end yet.
   */
  hasNewer: boolean;
  /**
   * While hasNewer: new messages that arrived live meanwhile, kept apart (showing them below the
   * page would hide the gap) until paging newer meets them.
   */
  later: Message[];
};

export const emptyTimeline: Timeline = {
  messages: [],
  pending: [],
  hasOlder: true,
  hasNewer: false,
  later: [],
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

/**
 * Confirmed messages arrive (live, replayed, or a copy after an edit): merge those that belong to
 * what is shown, keep newer ones apart while the reader is away from the live end, and drop our
 * pending sends they confirm. A copy from before the oldest message shown is left out: paging
 * back brings it, as it is then, with no gap in between.
 */
export function receive(timeline: Timeline, incoming: Message[], myUserId: string): Timeline {
  const confirmed = new Set(
    incoming
      .filter((message) => message.userId === myUserId && message.clientId)
      .map((message) => message.clientId),
  );
  // The main timeline leaves thread replies out (they arrive over the socket like any message, and
  // a resume replays them); a reply of ours still confirms its pending send.
  const first = timeline.messages[0]?.seq;
  const last = timeline.messages.at(-1)?.seq;
  const main = incoming.filter(
    (message) =>
      message.threadSeq === null && !(timeline.hasOlder && first !== undefined && message.seq < first),
  );
  const shown =
    timeline.hasNewer && last !== undefined ? main.filter((message) => message.seq <= last) : main;
  const beyond = shown.length === main.length ? [] : main.filter((message) => !shown.includes(message));
  return {
    ...timeline,
    messages: mergeMessages(timeline.messages, shown),
    later: beyond.length ? mergeMessages(timeline.later, beyond) : timeline.later,
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
  return { ...receive({ ...timeline, hasOlder: false }, page, myUserId), hasOlder };
}

/**
 * A newer page, after the last message shown (paging down from a jump). Once no more follow, the
 * live end is met: what arrived meanwhile joins it, and the timeline follows the room again.
 */
export function appendPage(
  timeline: Timeline,
  page: Message[],
  hasNewer: boolean,
  myUserId: string,
): Timeline {
  const paged = receive({ ...timeline, hasNewer: false }, page, myUserId);
  if (!hasNewer)
    return { ...paged, messages: mergeMessages(paged.messages, timeline.later), later: [], hasNewer };
  const last = paged.messages.at(-1)?.seq ?? 0;
  return { ...paged, hasNewer, later: timeline.later.filter((message) => message.seq > last) };
}

/**
 * A page centred on one message (a jump), or the newest page (back to the live end): it replaces
 * what is shown. What is already held beyond its end is kept, shown if the page reaches the end.
 */
export function replaceWithPage(
  timeline: Timeline,
  page: { messages: Message[]; hasOlder: boolean; hasNewer: boolean },
  myUserId: string,
): Timeline {
  const held = mergeMessages(timeline.messages, timeline.later);
  const last = page.messages.at(-1)?.seq ?? 0;
  const start: Timeline = { ...timeline, messages: [], later: [], hasOlder: false, hasNewer: false };
  const fresh = receive(start, page.messages, myUserId);
  const replaced = { ...fresh, hasOlder: page.hasOlder, hasNewer: page.hasNewer };
  return receive(
    replaced,
    held.filter((message) => message.seq > last),
    myUserId,
  );
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

/** The newest message shown (what the reader can have read). */
export function newestShown(timeline: Timeline): number {
  return timeline.messages.at(-1)?.seq ?? 0;
}

/** The highest seq of the main timeline we hold (shown, or kept apart while away from the live end). */
export function lastSeq(timeline: Timeline): number {
  return Math.max(timeline.messages.at(-1)?.seq ?? 0, timeline.later.at(-1)?.seq ?? 0);
}

let counter = 0;

/** A clientId unique to this send: resending it after a reconnect can never create a duplicate. */
export function newClientId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
