import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Plugin } from "vite";

// The emoji picker's data, offline: Unicode's emoji in their groups and order (unicode-emoji-json)
// with search keywords (emojilib), both MIT and both read here at build time. The page gets them
// as `virtual:emoji-data`, boiled down to one compact string per group (≈ 110 KiB, ≈ 40 KiB
// gzipped, in a chunk of its own that loads when the picker first opens), rather than the
// packages' 650 KiB of JSON.
//
// Each group is [name, entries], entries "emoji\u001fname\u001fkeywords" joined by "\u001e".

const MODULE_ID = "virtual:emoji-data";
const RESOLVED_ID = `\0${MODULE_ID}`;
const KEYWORDS_PER_EMOJI = 6;

type Group = { name: string; emojis: { emoji: string; name: string; slug: string }[] };

function readJson(require: NodeJS.Require, path: string): unknown {
  return JSON.parse(readFileSync(require.resolve(path), "utf8"));
}

export function compactEmojiGroups(groups: Group[], keywords: Record<string, string[]>): [string, string][] {
  return groups.map((group) => [
    group.name,
    group.emojis
      .map(({ emoji, name, slug }) => {
        const words = (keywords[emoji] ?? []).filter((word) => word !== slug).slice(0, KEYWORDS_PER_EMOJI);
        return [emoji, name, words.join(" ")].join("\u001f");
      })
      .join("\u001e"),
  ]);
}

export function emojiData(): Plugin {
  return {
    name: "hubbub-emoji-data",
    resolveId: (id) => (id === MODULE_ID ? RESOLVED_ID : null),
    load(id) {
      if (id !== RESOLVED_ID) return null;
      const require = createRequire(import.meta.url);
      const groups = readJson(require, "unicode-emoji-json/data-by-group.json") as Group[];
      const keywords = readJson(require, "emojilib") as Record<string, string[]>;
      return `export default ${JSON.stringify(compactEmojiGroups(groups, keywords))};`;
    },
  };
}
