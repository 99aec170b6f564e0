import { and, eq, inArray } from "drizzle-orm";
import { database } from "../db/client";
import { blocks } from "../db/schema";
import type { Message } from "../protocol/messages";
import { sendToUser } from "../user-channel/client";
import type { RoomParts } from "./parts";

// Mentions reach people: each mentioned member who is not the author gets `{type: "mention"}` on
// their own channel (whatever their notification level short of none), and the room counts the
// mention until they read past it (the room list's mentionCount). Someone who blocked the author
// hears nothing of it.

export class Mentions {
  constructor(private readonly parts: RoomParts) {}

  /** A new message that mentions people was stored. */
  async mentioned(message: Message): Promise<void> {
    const roomId = this.parts.store.meta.get("roomId");
    const others = message.mentions.filter((userId) => userId !== message.userId);
    if (!roomId || others.length === 0) return;
    const blocking = new Set(
      (
        await database(this.parts.env.DB)
          .select({ blockerId: blocks.blockerId })
          .from(blocks)
          .where(and(eq(blocks.blockedId, message.userId), inArray(blocks.blockerId, others)))
      ).map((row) => row.blockerId),
    );
    const reached = others.filter((userId) => !blocking.has(userId));
    this.parts.store.mentions.mark(reached, message.seq);
    const { members } = this.parts.store;
    await Promise.all(
      reached
        .filter((userId) => members.get(userId)?.notify !== "none")
        .map((userId) => sendToUser(this.parts.env, userId, { type: "mention", roomId, message })),
    );
  }

  /** A deleted message mentions nobody any more. */
  deleted(message: Message): void {
    this.parts.store.mentions.unmark(message.seq);
  }
}
