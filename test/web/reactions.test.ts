import { describe, expect, it } from "vitest";
import type { Message } from "../../web/src/api/types";
import { withReaction } from "../../web/src/state/reactions";

// Reaction frames merged into the message the client holds, as the server would count them.

const message = (reactions: Message["reactions"] = []): Message => ({
  id: "m1",
  roomId: "r",
  seq: 1,
  userId: "ann",
  body: "lunch?",
  clientId: null,
  createdAt: "2026-12-01T12:00:00.000Z",
  editedAt: null,
  deletedAt: null,
  kind: "text",
  threadSeq: null,
  replyTo: null,
  mentions: [],
  reactions,
  pinnedAt: null,
  pinnedBy: null,
  thread: null,
  call: null,
});

describe("reactions on the client", () => {
  it("adds a new emoji at the end and a second person to an existing one", () => {
    let held = withReaction(message(), "ben", "👍", true);
    held = withReaction(held, "cat", "🎉", true);
    held = withReaction(held, "ann", "👍", true);
    expect(held.reactions).toEqual([
      { emoji: "👍", count: 2, userIds: ["ben", "ann"] },
      { emoji: "🎉", count: 1, userIds: ["cat"] },
    ]);
  });

  it("is idempotent: the same frame twice counts once, a removal of nothing changes nothing", () => {
    const once = withReaction(message(), "ben", "👍", true);
    expect(withReaction(once, "ben", "👍", true)).toBe(once);
    expect(withReaction(once, "cat", "👍", false)).toBe(once);
  });

  it("drops an emoji nobody uses any more", () => {
    const held = withReaction(message([{ emoji: "👍", count: 1, userIds: ["ben"] }]), "ben", "👍", false);
    expect(held.reactions).toEqual([]);
  });
});
