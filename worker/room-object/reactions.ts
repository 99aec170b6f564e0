import { isSingleEmoji, MAX_REACTION_EMOJI } from "../protocol/limits";
import { done, type Outcome, refuse } from "./api";
import type { RoomParts } from "./parts";
import { reactionBucket, type TokenBucket } from "./token-bucket";

// Reactions: one per person per emoji per message, idempotent (adding twice or removing what is not
// there changes nothing and tells nobody), at most MAX_REACTION_EMOJI distinct emoji per message.
// Everyone in the room sees `{type: "reaction", seq, userId, emoji, on}` as it happens; history
// carries the counts (store/messages.ts). Each person has one bucket of reactions per room, shared by
// REST and all of their sockets (API.md's safety rules), so toggling an emoji in a loop is refused
// with rate_limited instead of broadcast to everyone.

export class Reactions {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly parts: RoomParts,
    /** Why this person may not post here now (muted, blocked), or null: reacting is posting. */
    private readonly refusalToPost: (userId: string) => string | null,
  ) {}

  react(userId: string, seq: number, emoji: string, on: boolean): Outcome<{ changed: boolean }> {
    if (!isSingleEmoji(emoji)) return refuse("invalid_request", "emoji: must be one emoji");
    const message = this.parts.store.messages.get(seq);
    if (!message) return refuse("not_found", `No message ${seq} in this room.`);
    if (message.deletedAt) return refuse("conflict", "A deleted message cannot get reactions.");
    const refusal = this.refusalToPost(userId);
    if (refusal) return refuse("forbidden", refusal);
    const reactions = this.parts.store.reactions;
    if (on) {
      const emojis = reactions.emojis(seq);
      if (!emojis.includes(emoji) && emojis.length >= MAX_REACTION_EMOJI)
        return refuse(
          "invalid_request",
          `A message can carry at most ${MAX_REACTION_EMOJI} different emoji.`,
        );
    }
    // Counted once the reaction is valid, so a refusal for what it is never costs one.
    const taken = this.bucketOf(userId).take();
    if (!taken.ok)
      return refuse("rate_limited", "Too many reactions: wait a moment.", taken.retryAfterSeconds);
    const changed = reactions.set(seq, emoji, userId, on);
    if (changed) this.parts.sockets.broadcast({ type: "reaction", seq, userId, emoji, on });
    return done({ changed });
  }

  private bucketOf(userId: string): TokenBucket {
    let bucket = this.buckets.get(userId);
    if (!bucket) {
      bucket = reactionBucket(this.parts.env);
      this.buckets.set(userId, bucket);
    }
    return bucket;
  }
}
