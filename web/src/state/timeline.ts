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
  /** Confirmed messages, ascending by seq, one per seq. */
  messages: Message[];
  /** Our unconfirmed sends, in the order they were written. */
  pending: PendingSend[];
  /** Whether older messages exist before messages[0]. */
  hasOlder: boolean;
};

export const emptyTimeline: Timeline = { messages: [], pending: [], hasOlder: true };

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
  return {
    ...timeline,
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

/** The highest seq we hold: what to resume from with since=. */
export function lastSeq(timeline: Timeline): number {
  return timeline.messages.at(-1)?.seq ?? 0;
}

let counter = 0;

/** A clientId unique to this send: resending it after a reconnect can never create a duplicate. */
export function newClientId(): string {
  counter += 1;
  return `${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
