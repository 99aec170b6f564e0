import { z } from "zod";

// Calls (API.md "Calls"): WebRTC between members' browsers, signalled through the room's socket.
// The room relays what browsers say to each other (descriptions and ICE candidates) without
// reading it; these schemas only check its shape, so a bad frame is refused at the edge.

// (Its numbers are in ./limits.ts, which the web client imports without zod.)

/** A session description as RTCPeerConnection makes it (`rollback` stays local, never sent). */
const DescriptionSchema = z.object({ type: z.enum(["offer", "answer", "pranswer"]), sdp: z.string() });

/**
 * An ICE candidate as RTCIceCandidate.toJSON() makes it; an empty `candidate` is the end of
 * candidates. Loose, so what a browser adds (usernameFragment) reaches the other side as sent.
 */
const CandidateSchema = z.looseObject({
  candidate: z.string(),
  sdpMid: z.string().nullable().optional(),
  sdpMLineIndex: z.number().int().nonnegative().nullable().optional(),
});

/** What one browser says to another: a description, or a candidate. */
export const CallSignalSchema = z.union([
  z.object({ sdp: DescriptionSchema }),
  z.object({ candidate: CandidateSchema }),
]);
export type CallSignal = z.infer<typeof CallSignalSchema>;

/** One connection in the call, with what it sends. */
export type CallParticipant = {
  userId: string;
  connectionId: string;
  audio: boolean;
  video: boolean;
  screen: boolean;
  joinedAt: string;
};

/** What a `kind: "call"` message carries. */
export const CallSummarySchema = z.object({
  startedAt: z.string(),
  endedAt: z.string(),
  durationSec: z.number().int(),
  /** Everyone who took part, in the order they first joined (the one who started it first). */
  participantIds: z.string().array(),
});
export type CallSummary = z.infer<typeof CallSummarySchema>;

/** Why a ringing call stopped ringing. */
export type RingingStopped = "answered" | "declined" | "missed" | "cancelled";
