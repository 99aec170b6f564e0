// Messages that read like a team's chat, for the search benchmark: words of a shipped list
// (bench/data/words.txt, most frequent first) drawn with a Zipf distribution, 2–24 words long, the
// same for every run (a seeded generator). A few marked texts are planted so that the queries have
// a known number of matches: a rare word, and a phrase.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../../scripts/local-server.ts";

export const RARE_WORD = "zeppelin";
export const PHRASE = "release notes";

const words = [
  ...new Set(
    readFileSync(join(projectRoot, "bench", "data", "words.txt"), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#")),
  ),
];

// Zipf (s = 1): word r is drawn with weight 1/(r + 1); the cumulative weights, for a binary search.
const cumulative: number[] = [];
let total = 0;
for (let rank = 0; rank < words.length; rank++) {
  total += 1 / (rank + 1);
  cumulative.push(total);
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function drawWord(random: () => number): string {
  const target = random() * total;
  let [low, high] = [0, cumulative.length - 1];
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((cumulative[middle] ?? 0) < target) low = middle + 1;
    else high = middle;
  }
  return words[low] ?? "the";
}

/**
 * Message n of a room of `count` (1-based): the rare word is in exactly 4 of them, the phrase in
 * one of every 400.
 */
export function chatMessage(n: number, count: number): string {
  const random = generator(n * 7919 + 17);
  const length = 2 + Math.floor(random() ** 2 * 23);
  const picked = Array.from({ length }, () => drawWord(random));
  if (n % 400 === 0) picked.splice(Math.floor(random() * picked.length), 0, ...PHRASE.split(" "));
  if (n % Math.max(1, Math.floor(count / 4)) === 7) picked.push(RARE_WORD);
  const text = picked.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1) + (random() < 0.2 ? "?" : "");
}
