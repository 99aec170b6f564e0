import type { Message } from "../../worker/protocol/messages.ts";

// A message as the API answers with one, for the tests of pure state (test/web): a plain text message
// number `seq`, written a second after the one before it, with nothing on it (no reactions, thread,
// call, attachments…) unless `overrides` says so. Each suite gives what its cases are about.

export function aMessage(seq: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    roomId: "r",
    seq,
    userId: "other",
    body: `message ${seq}`,
    clientId: null,
    createdAt: new Date(Date.UTC(2026, 10, 21, 12, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    kind: "text",
    threadSeq: null,
    replyTo: null,
    mentions: [],
    reactions: [],
    pinnedAt: null,
    pinnedBy: null,
    thread: null,
    call: null,
    attachments: [],
    linkPreview: null,
    ...overrides,
  };
}
