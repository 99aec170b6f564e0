import type { CallParticipant, CallSummary, ChannelFrame, Member } from "../api/types";
import { callDuration, isMissedCall } from "../api/types";

// A call as the page reasons about it, without a browser: who is in it and who came or went, which
// side of a pair is polite when both offer at once, how the grid is laid out, what rings, and how
// a finished call reads in the timeline. The media and the sockets are in ../call/.

/**
 * Perfect negotiation needs one polite side per pair (it yields when both offer at once) and both
 * sides must agree which: the one whose connection id sorts first. Ids change when a seat moves to
 * a new socket; both sides then see the new ids and agree again.
 */
export function isPolite(myConnectionId: string, theirConnectionId: string): boolean {
  return myConnectionId < theirConnectionId;
}

/** The other people in the call, one each (a person has one seat), in the order they joined. */
export function othersInCall(participants: CallParticipant[], me: string): CallParticipant[] {
  return participants.filter((participant) => participant.userId !== me);
}

/** Who joined and who left between two call states (by person, not by connection). */
export function callChanges(
  before: CallParticipant[],
  after: CallParticipant[],
): { joined: string[]; left: string[] } {
  const was = new Set(before.map((participant) => participant.userId));
  const is = new Set(after.map((participant) => participant.userId));
  return {
    joined: [...is].filter((userId) => !was.has(userId)),
    left: [...was].filter((userId) => !is.has(userId)),
  };
}

/** How a grid of `count` tiles is laid out: as square as the count allows, wider than tall. */
export function gridShape(count: number): { columns: number; rows: number } {
  const tiles = Math.max(1, count);
  const columns = tiles <= 1 ? 1 : tiles <= 4 ? 2 : 3;
  return { columns, rows: Math.ceil(tiles / columns) };
}

/** A call that rings this user: in which room, from whom, since when. */
export type Ring = { roomId: string; fromUserId: string; since: number };

/** The calls ringing on this device, after a frame of the user's own channel. */
export function applyRingFrame(rings: Ring[], frame: ChannelFrame, now: number): Ring[] {
  switch (frame.type) {
    case "call_ringing":
      return [
        ...rings.filter((ring) => ring.roomId !== frame.roomId),
        { roomId: frame.roomId, fromUserId: frame.fromUserId, since: now },
      ];
    case "call_ringing_stopped":
    case "call_ended":
      return rings.filter((ring) => ring.roomId !== frame.roomId);
    default:
      return rings;
  }
}

/** What the caller is told when the other person does not pick up. */
export function ringingStoppedText(reason: string, name: string): string | null {
  if (reason === "declined") return `${name} declined the call.`;
  if (reason === "missed") return `${name} did not answer.`;
  return null;
}

/** The line a finished call leaves in the timeline. */
export function callMessageText(
  call: CallSummary,
  startedBy: string,
  me: string,
  members: Map<string, Pick<Member, "displayName">>,
): string {
  const name = (userId: string) =>
    userId === me ? "You" : (members.get(userId)?.displayName ?? "Former member");
  if (isMissedCall(call))
    return startedBy === me ? "You called; nobody answered" : `Missed call from ${name(startedBy)}`;
  const people = call.participantIds.map(name);
  const list =
    people.length <= 3
      ? people.join(", ")
      : `${people.slice(0, 2).join(", ")} and ${people.length - 2} others`;
  return `Call · ${callDuration(call.durationSec)} · ${list}`;
}

/** What the page says about the camera and microphone, from the error getUserMedia threw. */
export function mediaProblem(error: unknown, wanted: { audio: boolean; video: boolean }): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : "";
  const what = wanted.video ? "camera and microphone" : "microphone";
  if (name === "NotAllowedError" || name === "SecurityError")
    return `Hubbub may not use your ${what}: permission was denied. Allow it for this site in your browser's settings, then turn them on with the buttons below.`;
  if (name === "NotFoundError" || name === "OverconstrainedError")
    return wanted.video
      ? "No camera or microphone was found. You can still hear and see the others."
      : "No microphone was found. You can still hear the others.";
  if (name === "NotReadableError" || name === "AbortError")
    return `Your ${what} is in use by another app or could not be started. Close that app, then try again.`;
  return `Your ${what} could not be started${error instanceof Error && error.message ? `: ${error.message}` : "."}`;
}
