import { isStringRecord, type KeptStorage, readKept, writeKept } from "./kept";

// The threads you have seen, per room and root: the root's `lastReplyAt` when you last had the
// thread open. The server keeps no read marker per thread (unread counts are for the main
// timeline), so "new replies" in a thread you took part in is decided from this, in this browser
// (state/threads.ts isThreadUnread).

const MOST_KEPT = 500;
const keyOf = (userId: string) => `hubbub.threads-seen.${userId}`;
const placeOf = (roomId: string, rootSeq: number) => `${roomId}#${rootSeq}`;

export function threadSeenAt(storage: KeptStorage | null, userId: string, roomId: string, rootSeq: number) {
  return readKept(storage, keyOf(userId), {}, isStringRecord)[placeOf(roomId, rootSeq)];
}

/** Every thread seen in one room, by root seq (one read for a whole timeline). */
export function threadsSeenIn(
  storage: KeptStorage | null,
  userId: string,
  roomId: string,
): Map<number, string> {
  const prefix = `${roomId}#`;
  const seen = new Map<number, string>();
  for (const [place, at] of Object.entries(readKept(storage, keyOf(userId), {}, isStringRecord)))
    if (place.startsWith(prefix)) seen.set(Number(place.slice(prefix.length)), at);
  return seen;
}

export function markThreadSeen(
  storage: KeptStorage | null,
  userId: string,
  roomId: string,
  rootSeq: number,
  lastReplyAt: string,
): void {
  const seen = readKept(storage, keyOf(userId), {}, isStringRecord);
  const place = placeOf(roomId, rootSeq);
  if (seen[place] === lastReplyAt) return;
  delete seen[place];
  seen[place] = lastReplyAt;
  writeKept(storage, keyOf(userId), Object.fromEntries(Object.entries(seen).slice(-MOST_KEPT)));
}
