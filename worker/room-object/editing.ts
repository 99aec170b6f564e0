import type { Message } from "../protocol/messages";
import { type Caller, done, type Outcome, refuse } from "./api";
import type { RoomParts } from "./parts";

// Changing what was said: its author edits a message; its author, an owner or an admin deletes it
// (a tombstone that keeps its seq, with an empty body). Everyone sees `message_updated`.

export class Editing {
  constructor(
    private readonly parts: RoomParts,
    private readonly hooks: {
      /** A message changed; `last` when it is the room's newest (whose preview the room list shows). */
      changed(message: Message, last: boolean): Promise<void>;
      /** An owner or admin deleted someone else's message (the audit log keeps it). */
      moderated(actorId: string, message: Message): void;
      /** Why this person may not post here now (muted, blocked), or null: it applies to edits too. */
      refusalToPost(userId: string): string | null;
      /** Who the new text mentions (an edit is mentioned anew, but nobody is notified again). */
      mentionsIn(authorId: string, body: string): string[];
    },
  ) {}

  async edit(caller: Caller, seq: number, body: string): Promise<Outcome<Message>> {
    const messages = this.parts.store.messages;
    const message = messages.get(seq);
    if (!message) return refuse("not_found", `No message ${seq} in this room.`);
    if (message.userId !== caller.userId) return refuse("forbidden", "Only its author can edit a message.");
    if (message.deletedAt) return refuse("conflict", "A deleted message cannot be edited.");
    if (message.kind === "call") return refuse("conflict", "A call message has no text to edit.");
    const refusal = this.hooks.refusalToPost(caller.userId);
    if (refusal) return refuse("forbidden", refusal);
    const edited = messages.edit(seq, body, this.hooks.mentionsIn(caller.userId, body)) ?? message;
    await this.tell(edited);
    return done(edited);
  }

  async delete(caller: Caller, seq: number): Promise<Outcome<Message>> {
    const messages = this.parts.store.messages;
    const message = messages.get(seq);
    if (!message) return refuse("not_found", `No message ${seq} in this room.`);
    const moderator = caller.role === "owner" || caller.role === "admin";
    if (message.userId !== caller.userId && !moderator)
      return refuse("forbidden", "Only its author, an owner or an admin can delete a message.");
    if (message.deletedAt) return done(message);
    const deleted = messages.tombstone(seq) ?? message;
    if (message.userId !== caller.userId) this.hooks.moderated(caller.userId, message);
    await this.tell(deleted);
    return done(deleted);
  }

  private async tell(message: Message): Promise<void> {
    this.parts.sockets.broadcast({ type: "message_updated", message });
    await this.hooks.changed(message, message.seq === this.parts.store.messages.lastSeq());
  }
}
