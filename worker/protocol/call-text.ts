import type { CallSummary } from "./calls";

// How a finished call reads in a room list and a timeline, in one place for the Worker (the room
// list's preview) and the web client (the call message), without zod, so the page can import it.

/** "45 s", "3 min", "1 h 5 min": as long as people say it, to the minute past the first one. */
export function callDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/** Nobody but the one who started it took part: the others missed it (or declined). */
export function isMissedCall(call: CallSummary): boolean {
  return call.participantIds.length < 2;
}

/** "Missed call" or "Call · 3 min". */
export function callPreview(call: CallSummary): string {
  return isMissedCall(call) ? "Missed call" : `Call · ${callDuration(call.durationSec)}`;
}
