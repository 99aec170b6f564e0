import { z } from "zod";
import { type CallParticipant, type CallSignal, CallSignalSchema, type RingingStopped } from "./calls";
import { isSingleEmoji, MAX_ATTACHMENTS_PER_MESSAGE } from "./limits";
import { ClientId, type Message, OptionalMessageBody, PositiveSeq, Seq } from "./messages";
import type { Member, RoomSummary } from "./rooms";

// The frames of both sockets (API.md "Real time"): JSON text, each with a `type`. Each socket has
// its own union of server frames, so a client's `switch` over them is checked for exhaustiveness.

export const Emoji = z.string().refine(isSingleEmoji, "must be one emoji");

/** The uploads a message sends (ids from POST …/attachments); with them, its body may be empty. */
export const AttachmentIds = z
  .string()
  .min(1)
  .max(100)
  .array()
  .max(MAX_ATTACHMENTS_PER_MESSAGE, `must be at most ${MAX_ATTACHMENTS_PER_MESSAGE} files`);

/** Client → room frames. Anything else is answered with an `error` frame; the socket stays open. */
export const ClientFrameSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("message"),
    body: OptionalMessageBody,
    clientId: ClientId,
    threadSeq: PositiveSeq.optional(),
    replyTo: PositiveSeq.optional(),
    attachmentIds: AttachmentIds.optional(),
  }),
  z.object({ type: z.literal("react"), seq: PositiveSeq, emoji: Emoji, on: z.boolean() }),
  z.object({ type: z.literal("typing"), typing: z.boolean() }),
  z.object({ type: z.literal("read"), seq: Seq }),
  z.object({ type: z.literal("ping") }),
  // Calls (./calls.ts): join with what you send, change it, leave, and talk to one other participant.
  z.object({ type: z.literal("call_join"), audio: z.boolean(), video: z.boolean() }),
  z.object({ type: z.literal("call_update"), audio: z.boolean(), video: z.boolean(), screen: z.boolean() }),
  z.object({ type: z.literal("call_leave") }),
  z.object({
    type: z.literal("call_signal"),
    toConnectionId: z.string().min(1).max(64),
    signal: CallSignalSchema,
  }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export type ClientFrameOf<K extends ClientFrame["type"]> = Extract<ClientFrame, { type: K }>;

export type ErrorCode =
  | "invalid_request"
  | "payload_too_large"
  | "rate_limited"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "call_full";
export type ErrorFrame = { type: "error"; code: ErrorCode; message: string; clientId?: string };

export type Receipt = { userId: string; deliveredSeq: number; readSeq: number };

/** How the member list changed: someone joined or was added, changed role or profile, left or was removed. */
export type MemberChange = "joined" | "updated" | "left";
/** A member as the `member` frame carries it (API.md "Real time, extended"). */
export type MemberInfo = Omit<Member, "online">;

/** Room socket, server → client. */
export type RoomFrame =
  | {
      type: "welcome";
      roomId: string;
      userId: string;
      lastSeq: number;
      online: string[];
      receipts: Receipt[];
      /** This socket's own id: other participants of a call address it by this. */
      connectionId: string;
      /** The call going on in the room (no participants when there is none). */
      call: { participants: CallParticipant[] };
    }
  | { type: "message"; message: Message }
  | { type: "message_updated"; message: Message }
  | { type: "reaction"; seq: number; userId: string; emoji: string; on: boolean }
  | { type: "typing"; userId: string; typing: boolean }
  | { type: "presence"; userId: string; online: boolean }
  | ({ type: "receipt" } & Receipt)
  | { type: "member"; member: MemberInfo; change: MemberChange }
  /** The resume stopped after RESUME_LIMIT messages: page on with GET …/messages?after=nextSeq-1. */
  | { type: "resume_incomplete"; nextSeq: number }
  /** Who is in the room's call now, after every change (empty: there is no call). */
  | { type: "call_state"; participants: CallParticipant[] }
  /** Another participant's browser, to this socket's only. */
  | { type: "call_signal"; fromConnectionId: string; fromUserId: string; signal: CallSignal }
  | ErrorFrame
  | { type: "pong" };

/** The user's own channel, server → client. */
export type ChannelFrame =
  | { type: "room_updated"; room: RoomSummary }
  | { type: "room_added"; room: RoomSummary }
  | { type: "room_removed"; roomId: string }
  /** You were mentioned (whatever your notification level short of none). */
  | { type: "mention"; roomId: string; message: Message }
  /** For a room's owners and admins: a message was reported. */
  | { type: "report"; roomId: string; seq: number }
  /** Someone calls you in a direct room: ring on every device until call_ringing_stopped. */
  | { type: "call_ringing"; roomId: string; fromUserId: string }
  | { type: "call_ringing_stopped"; roomId: string; reason: RingingStopped }
  /** A call you took part in (or were rung for) is over. */
  | { type: "call_ended"; roomId: string }
  | ErrorFrame
  | { type: "pong" };

export type RoomFrameOf<K extends RoomFrame["type"]> = Extract<RoomFrame, { type: K }>;

/**
 * What a socket opened with ?batch=1 receives: a frame as above, or several that were ready in the
 * same turn, in order, in one `batch` frame (never nested).
 */
export type Batched<Frame> = Frame | { type: "batch"; frames: Frame[] };
