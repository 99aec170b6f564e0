import type { Message } from "../protocol/messages";
import { type Caller, done, type Outcome, refuse } from "./api";
import type { RoomParts } from "./parts";

// Pins: what matters, kept at hand. Who may pin is the Worker's to check (owners and admins; anyone
// in a direct room); the room keeps who pinned it and when, and tells everyone (`message_updated`).

export class Pins {
  constructor(private readonly parts: RoomParts) {}

  pin(caller: Caller, seq: number, on: boolean): Outcome<Message> {
    const message = this.parts.store.messages.get(seq);
    if (!message) return refuse("not_found", `No message ${seq} in this room.`);
    if (on && message.deletedAt) return refuse("conflict", "A deleted message cannot be pinned.");
    if ((message.pinnedAt !== null) === on) return done(message); // already so: idempotent
    const pinned = this.parts.store.messages.pin(seq, on ? caller.userId : null) ?? message;
    this.parts.sockets.broadcast({ type: "message_updated", message: pinned });
    return done(pinned);
  }

  list(): Message[] {
    return this.parts.store.messages.pinned();
  }
}
