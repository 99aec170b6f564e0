import type { Role } from "../protocol/rooms";

// What the Worker calls a Room with, and what it gets back.
//
// Only the Worker can reach a Room (through its binding), and it calls with an identity it has
// already verified against D1: a Caller. Nothing a client sends is trusted as identity.
//
// A Room answers a refusal as a value (an Outcome) rather than by throwing: an exception thrown in
// a Durable Object crosses the RPC boundary as a plain Error (its class and fields are lost), and
// the runtime logs it as a failure of the object. A value keeps the code, the message and the
// Retry-After, and the Worker turns it into the API's error shape in one place (rooms/access.ts).

export type Caller = { roomId: string; userId: string; role: Role };

/** Someone the Worker authenticated but did not look up: the room decides whether they are a member. */
export type Visitor = { roomId: string; userId: string };

export type Refusal = {
  ok: false;
  code: "invalid_request" | "forbidden" | "not_found" | "conflict" | "rate_limited";
  message: string;
  retryAfter?: number;
};

export type Outcome<T> = { ok: true; value: T } | Refusal;

export const done = <T>(value: T): Outcome<T> => ({ ok: true, value });

export function refuse(code: Refusal["code"], message: string, retryAfter?: number): Refusal {
  return retryAfter === undefined ? { ok: false, code, message } : { ok: false, code, message, retryAfter };
}

/** A page of history: the main timeline, or one thread's replies (`thread`), by seq cursors. */
export type HistoryQuery = { before?: number; after?: number; limit: number; thread?: number };

/** What a member sends: a body, and optionally the thread it answers, the message it quotes, its files. */
export type Draft = {
  body: string;
  clientId: string | null;
  threadSeq?: number;
  replyTo?: number;
  attachmentIds?: string[];
};
