import { describe, expect, it } from "vitest";
import type { Message } from "../../web/src/api/types";
import { whoReacted, withReaction } from "../../web/src/state/reactions";
import { aMessage } from "../shared/messages.ts";

// Reaction frames merged into the message the client holds, as the server would count them.

const message = (reactions: Message["reactions"] = []): Message =>
  aMessage(1, { userId: "ann", body: "lunch?", createdAt: "2026-12-01T12:00:00.000Z", reactions });

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

describe("who reacted, in words", () => {
  const names: Record<string, string> = { ann: "Ann", ben: "Ben", cat: "Cat", dan: "Dan", eve: "Eve" };
  const nameOf = (id: string) => names[id] ?? "Someone";
  it("names up to three people, you first, and counts the rest", () => {
    expect(whoReacted(["ann"], "me", nameOf)).toBe("Ann");
    expect(whoReacted(["ann", "me"], "me", nameOf)).toBe("You and Ann");
    expect(whoReacted(["ann", "ben", "cat"], "me", nameOf)).toBe("Ann, Ben and Cat");
    expect(whoReacted(["ann", "ben", "cat", "dan", "eve"], "me", nameOf)).toBe("Ann, Ben and 3 others");
    expect(whoReacted(["ann", "ben", "me", "dan"], "me", nameOf)).toBe("You, Ann and 2 others");
    // userIds stop at 100; the count does not.
    expect(whoReacted(["ann", "ben"], "me", nameOf, 150)).toBe("Ann, Ben and 148 others");
  });
});
