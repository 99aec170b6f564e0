// Finding an emoji by name: "thumbs", "party", "heart eyes". Every word typed must begin a word of
// the emoji's name or keywords (case folded), so "sm" finds smiling faces and "cat face" finds 🐱.

export type EmojiEntry = { emoji: string; name: string; keywords: string };
export type EmojiGroup = { name: string; emojis: EmojiEntry[] };

/** The picker's data as web/build/emoji-data.ts compacts it. */
export function unpackEmojiGroups(packed: [string, string][]): EmojiGroup[] {
  return packed.map(([name, entries]) => ({
    name,
    emojis: entries.split("\u001e").map((entry) => {
      const [emoji = "", label = "", keywords = ""] = entry.split("\u001f");
      return { emoji, name: label, keywords };
    }),
  }));
}

export function searchEmoji(groups: EmojiGroup[], query: string, most = 80): EmojiEntry[] {
  const wanted = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (wanted.length === 0) return [];
  const found: EmojiEntry[] = [];
  const byName: EmojiEntry[] = [];
  for (const group of groups)
    for (const entry of group.emojis) {
      const nameWords = entry.name.toLowerCase().split(/[\s:_-]+/);
      const words = [...nameWords, ...entry.keywords.toLowerCase().split(/[\s_]+/)];
      if (!wanted.every((part) => words.some((word) => word.startsWith(part)))) continue;
      // Matches by name come before matches by keyword only.
      if (wanted.every((part) => nameWords.some((word) => word.startsWith(part)))) byName.push(entry);
      else found.push(entry);
    }
  return [...byName, ...found].slice(0, most);
}

/**
 * Arrow keys in a grid of sections (recently used, then each group), each laid out in rows of
 * `columns`: left and right step through the whole list, up and down keep the column as far as
 * the row above or below allows, across sections. Returns the new index of the active option.
 */
export function gridMove(sizes: number[], columns: number, active: number, key: string): number {
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total === 0) return 0;
  if (key === "ArrowRight") return Math.min(total - 1, active + 1);
  if (key === "ArrowLeft") return Math.max(0, active - 1);
  if (key === "Home") return 0;
  if (key === "End") return total - 1;
  // Rows as [start index, length] across every section, in order.
  const rows: [number, number][] = [];
  let start = 0;
  for (const size of sizes) {
    for (let offset = 0; offset < size; offset += columns)
      rows.push([start + offset, Math.min(columns, size - offset)]);
    start += size;
  }
  const row = rows.findIndex(([first, length]) => active >= first && active < first + length);
  const column = active - (rows[row]?.[0] ?? 0);
  const target = rows[key === "ArrowDown" ? row + 1 : key === "ArrowUp" ? row - 1 : row];
  if (!target) return active;
  return target[0] + Math.min(column, target[1] - 1);
}
