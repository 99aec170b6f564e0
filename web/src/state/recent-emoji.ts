import { type KeptStorage, readKept, writeKept } from "./kept";

// The emoji you reacted with lately, newest first, offered at the top of the picker.

export const MOST_RECENT = 16;
const keyOf = (userId: string) => `hubbub.recent-emoji.${userId}`;
const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((each) => typeof each === "string");

export function recentEmoji(storage: KeptStorage | null, userId: string): string[] {
  return readKept(storage, keyOf(userId), [], isStringList).slice(0, MOST_RECENT);
}

/** The list with this emoji moved (or put) first. */
export function withRecent(list: string[], emoji: string): string[] {
  return [emoji, ...list.filter((each) => each !== emoji)].slice(0, MOST_RECENT);
}

export function rememberEmoji(storage: KeptStorage | null, userId: string, emoji: string): void {
  writeKept(storage, keyOf(userId), withRecent(recentEmoji(storage, userId), emoji));
}
