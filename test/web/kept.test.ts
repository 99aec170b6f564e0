import { describe, expect, it } from "vitest";
import { draftPlace, loadDraft, saveDraft } from "../../web/src/state/drafts.ts";
import type { KeptStorage } from "../../web/src/state/kept.ts";
import { MOST_RECENT, recentEmoji, rememberEmoji, withRecent } from "../../web/src/state/recent-emoji.ts";
import { markThreadSeen, threadSeenAt, threadsSeenIn } from "../../web/src/state/thread-reads.ts";

// What the browser keeps between visits: drafts per room and thread, threads seen, recent emoji.

function memory(): KeptStorage & { size: () => number } {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    size: () => items.size,
  };
}

describe("drafts", () => {
  it("keeps one per room and per thread, per person, and forgets an emptied one", () => {
    const storage = memory();
    saveDraft(storage, "me", draftPlace("room-a"), "half a thought");
    saveDraft(storage, "me", draftPlace("room-a", 7), "in the thread");
    saveDraft(storage, "you", draftPlace("room-a"), "someone else's");
    expect(loadDraft(storage, "me", "room-a")).toBe("half a thought");
    expect(loadDraft(storage, "me", draftPlace("room-a", 7))).toBe("in the thread");
    expect(loadDraft(storage, "me", "room-b")).toBe("");
    saveDraft(storage, "me", "room-a", "   ");
    expect(loadDraft(storage, "me", "room-a")).toBe("");
    saveDraft(storage, "me", draftPlace("room-a", 7), "");
    saveDraft(storage, "you", "room-a", "");
    expect(storage.size()).toBe(0);
  });

  it("survives storage that is full, refused or holds something else", () => {
    const refusing: KeptStorage = {
      getItem: () => "{not json",
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => undefined,
    };
    expect(loadDraft(refusing, "me", "room-a")).toBe("");
    expect(() => saveDraft(refusing, "me", "room-a", "text")).not.toThrow();
    expect(loadDraft(null, "me", "room-a")).toBe("");
  });
});

describe("threads seen and recent emoji", () => {
  it("remembers the newest reply seen per thread, per room", () => {
    const storage = memory();
    markThreadSeen(storage, "me", "room-a", 3, "2026-12-01T12:00:00.000Z");
    markThreadSeen(storage, "me", "room-a", 3, "2026-12-01T12:05:00.000Z");
    markThreadSeen(storage, "me", "room-b", 9, "2026-12-01T13:00:00.000Z");
    expect(threadSeenAt(storage, "me", "room-a", 3)).toBe("2026-12-01T12:05:00.000Z");
    expect([...threadsSeenIn(storage, "me", "room-a")]).toEqual([[3, "2026-12-01T12:05:00.000Z"]]);
  });

  it("puts the newest emoji first, once, and keeps a short list", () => {
    expect(withRecent(["👍", "🎉", "❤️"], "🎉")).toEqual(["🎉", "👍", "❤️"]);
    const storage = memory();
    for (let code = 0; code < MOST_RECENT + 4; code++)
      rememberEmoji(storage, "me", String.fromCodePoint(0x1f600 + code));
    const recent = recentEmoji(storage, "me");
    expect(recent).toHaveLength(MOST_RECENT);
    expect(recent[0]).toBe(String.fromCodePoint(0x1f600 + MOST_RECENT + 3));
  });
});
