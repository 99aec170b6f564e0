// What this browser keeps between visits for one signed-in person (drafts, the threads they have
// seen, their recent emoji), as JSON in localStorage under one key per kind and person. The
// storage is a parameter so the unit tests use a Map; a full or refused storage (private mode,
// quota) loses only the convenience, never the app: reads fall back, writes are skipped.

export type KeptStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** The browser's localStorage, or null where it cannot be used. */
export function browserStorage(): KeptStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function readKept<T>(
  storage: KeptStorage | null,
  key: string,
  fallback: T,
  valid: (value: unknown) => value is T,
): T {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return fallback;
    const value: unknown = JSON.parse(raw);
    return valid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

export function writeKept(storage: KeptStorage | null, key: string, value: unknown | null): void {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, JSON.stringify(value));
  } catch {
    // Full or refused: the draft or mark is not kept, which is all that is lost.
  }
}

export function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((each) => typeof each === "string")
  );
}
