import { describe, expect, it } from "vitest";
import { compactEmojiGroups } from "../../web/build/emoji-data.ts";
import { gridMove, searchEmoji, unpackEmojiGroups } from "../../web/src/text/emoji-search.ts";

// The emoji picker's data and search, offline: built from the packages, found by name or keyword.

const groups = unpackEmojiGroups(
  compactEmojiGroups(
    [
      {
        name: "Smileys & Emotion",
        emojis: [
          { emoji: "😀", name: "grinning face", slug: "grinning_face" },
          { emoji: "😍", name: "smiling face with heart-eyes", slug: "smiling_face_with_heart_eyes" },
        ],
      },
      { name: "People & Body", emojis: [{ emoji: "👍", name: "thumbs up", slug: "thumbs_up" }] },
      { name: "Activities", emojis: [{ emoji: "🎉", name: "party popper", slug: "party_popper" }] },
    ],
    {
      "👍": ["thumbs_up", "yes", "like", "approve"],
      "🎉": ["party_popper", "celebrate", "tada"],
      "😀": ["smile", "happy"],
    },
  ),
);

describe("the emoji picker", () => {
  it("unpacks what the build packed, with keywords but without the slug", () => {
    expect(groups.map((group) => group.name)).toEqual(["Smileys & Emotion", "People & Body", "Activities"]);
    expect(groups[1]?.emojis[0]).toEqual({ emoji: "👍", name: "thumbs up", keywords: "yes like approve" });
  });

  it("finds by the start of words in the name, then by keyword; every word must match", () => {
    expect(searchEmoji(groups, "thu").map((entry) => entry.emoji)).toEqual(["👍"]);
    expect(searchEmoji(groups, "heart").map((entry) => entry.emoji)).toEqual(["😍"]);
    expect(searchEmoji(groups, "celebrate").map((entry) => entry.emoji)).toEqual(["🎉"]);
    expect(searchEmoji(groups, "smiling heart").map((entry) => entry.emoji)).toEqual(["😍"]);
    // "smile" is 😀's keyword but starts a word of 😍's name only as "smiling": name matches first.
    expect(searchEmoji(groups, "smil").map((entry) => entry.emoji)).toEqual(["😍", "😀"]);
    expect(searchEmoji(groups, "  ")).toEqual([]);
  });

  it("moves through a grid of sections with the arrow keys, keeping the column", () => {
    // Two sections: 10 recent (rows of 8: 0–7, 8–9) then 5 (10–14).
    const sizes = [10, 5];
    expect(gridMove(sizes, 8, 3, "ArrowDown")).toBe(9);
    expect(gridMove(sizes, 8, 9, "ArrowDown")).toBe(11);
    expect(gridMove(sizes, 8, 12, "ArrowUp")).toBe(9);
    expect(gridMove(sizes, 8, 2, "ArrowUp")).toBe(2);
    expect(gridMove(sizes, 8, 14, "ArrowRight")).toBe(14);
    expect(gridMove(sizes, 8, 0, "ArrowLeft")).toBe(0);
    expect(gridMove(sizes, 8, 7, "End")).toBe(14);
  });
});
