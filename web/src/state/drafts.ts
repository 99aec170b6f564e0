import { isStringRecord, type KeptStorage, readKept, writeKept } from "./kept";

// Drafts: what you had typed in a room's composer (or a thread's) and not sent, kept in this
// browser, so that leaving and coming back (another room, a reload) finds it where you left it.
// A send clears it. The oldest drafts are let go past MOST_KEPT, so the storage cannot grow forever.

const MOST_KEPT = 100;

/** Where a draft belongs: a room's main composer, or the composer of one of its threads. */
export function draftPlace(roomId: string, threadSeq?: number): string {
  return threadSeq === undefined ? roomId : `${roomId}#${threadSeq}`;
}

const keyOf = (userId: string) => `hubbub.drafts.${userId}`;

export function loadDraft(storage: KeptStorage | null, userId: string, place: string): string {
  return readKept(storage, keyOf(userId), {}, isStringRecord)[place] ?? "";
}

/** Keeps the draft (the newest last), or forgets it when it is empty or only white space. */
export function saveDraft(storage: KeptStorage | null, userId: string, place: string, text: string): void {
  const drafts = readKept(storage, keyOf(userId), {}, isStringRecord);
  delete drafts[place];
  if (text.trim()) drafts[place] = text;
  const kept = Object.entries(drafts).slice(-MOST_KEPT);
  writeKept(storage, keyOf(userId), kept.length ? Object.fromEntries(kept) : null);
}
