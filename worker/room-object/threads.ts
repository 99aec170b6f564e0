import type { Message } from "../protocol/messages";
import type { RoomParts } from "./parts";

// Threads: a reply is broadcast as a `message` like any other (it has its own room seq); its root
// moves ("3 replies · last 2 min ago"), and everyone sees the root's new counters as
// `message_updated`.

export class Threads {
  constructor(private readonly parts: RoomParts) {}

  /** A reply was stored: tell the room about its root's new counters. */
  replied(reply: Message): void {
    if (reply.threadSeq === null) return;
    const root = this.parts.store.messages.get(reply.threadSeq);
    if (root) this.parts.sockets.broadcast({ type: "message_updated", message: root });
  }
}
