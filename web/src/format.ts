// How times read in the client: "now", "5m", "3h", "Mon", "12 Nov" for lists; day headings in a room.

export function relativeTime(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  const seconds = Math.max(0, (now - then) / 1000);
  if (seconds < 60) return "now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  if (seconds < 6 * 86_400) return new Date(then).toLocaleDateString(undefined, { weekday: "short" });
  return new Date(then).toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

export function dayLabel(iso: string, now = new Date()): string {
  const day = new Date(iso);
  const startOf = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
  const days = Math.round((startOf(now) - startOf(day)) / 86_400_000);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  return day.toLocaleDateString(undefined, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}

export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

export function sameDay(a: string, b: string): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

/** "just now", "2 min ago", "3 h ago", "yesterday", "4 days ago", then the date: for logs and lists of events. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86_400);
  if (days === 1) return "yesterday";
  if (days < 7) return `${days} days ago`;
  return new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/** A moment ahead, as people say it: "14:05" today, "3 Dec, 14:05" on another day. */
export function momentLabel(iso: string, now = new Date()): string {
  if (sameDay(iso, now.toISOString())) return clockTime(iso);
  const day = new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short" });
  return `${day}, ${clockTime(iso)}`;
}

// The server says when a mute or ban ends as an ISO time ("…muted until 2026-12-01T20:00:00.000Z."),
// which is exact but not for reading: the client shows those in the reader's own time.
const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

export function readableTimes(text: string, now = new Date()): string {
  return text.replace(ISO_TIME, (iso) => momentLabel(iso, now));
}

/** A reason shown as a sentence of its own: capitalised, with exactly one full stop at the end. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/** What went wrong, for people: the server's message (ApiError's), with its times made readable. */
export function describeError(error: unknown): string {
  return readableTimes(error instanceof Error ? error.message : String(error));
}

/** "10 minutes", "1 hour", "3 days", "1 week": a length of time in its largest whole unit. */
export function durationLabel(minutes: number): string {
  const units: [number, string][] = [
    [10_080, "week"],
    [1440, "day"],
    [60, "hour"],
  ];
  for (const [size, unit] of units) {
    if (minutes >= size && minutes % size === 0) return plural(minutes / size, unit);
  }
  return plural(minutes, "minute");
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}
