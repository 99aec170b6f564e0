import { z } from "zod";

// The wire protocol, in one module that the Worker, the Durable Objects and the web client all
// import, so the two ends can never drift. Frames are JSON text with a `type` (see API.md).

export const MAX_MESSAGE_CHARS = 4000;
export const MAX_FRAME_BYTES = 16 * 1024;
export const MAX_CLIENT_ID_CHARS = 64;
/** A typing indicator stops by itself this long after the last `typing: true`. */
export const TYPING_TIMEOUT_MS = 5000;

/** Close codes a room or user channel uses when it ends a socket on purpose. */
export const CloseCode = {
  /** The member was removed from the room (or left it from another device). */
  removedFromRoom: 4003,
  /** The room was deleted by its owner. */
  roomDeleted: 4004,
} as const;

/** Length in characters as people count them (code points), not UTF-16 units. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** The rule a too-long body breaks; a room answers it with `payload_too_large` rather than `invalid_request`. */
export const BODY_TOO_LONG = `must be at most ${MAX_MESSAGE_CHARS} characters`;

/** A message body: 1–4,000 characters, not only white space, stored exactly as sent. */
export const MessageBody = z
  .string()
  .refine((body) => body.trim().length > 0, "must not be empty or only white space")
  .refine((body) => characterCount(body) <= MAX_MESSAGE_CHARS, BODY_TOO_LONG);

export const ClientId = z
  .string()
  .min(1, "must be 1 to 64 characters")
  .refine((id) => characterCount(id) <= MAX_CLIENT_ID_CHARS, "must be 1 to 64 characters");

export const Seq = z.number().int("must be a whole number").nonnegative("must be 0 or more");

export const MessageSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  seq: z.number().int(),
  userId: z.string(),
  body: z.string(),
  clientId: z.string().nullable(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
});
export type Message = z.infer<typeof MessageSchema>;

export const LastMessageSchema = z.object({
  seq: z.number().int(),
  userId: z.string(),
  body: z.string(),
  createdAt: z.string(),
});
export type LastMessage = z.infer<typeof LastMessageSchema>;

export const RoomKind = z.enum(["public", "private", "direct"]);
export type RoomKind = z.infer<typeof RoomKind>;
export const Role = z.enum(["owner", "admin", "member"]);
export type Role = z.infer<typeof Role>;

export const PeerSchema = z.object({ id: z.string(), username: z.string(), displayName: z.string() });

/** One item of the caller's room list (GET /api/rooms and the user channel's room frames). */
export const RoomSummarySchema = z.object({
  id: z.string(),
  kind: RoomKind,
  name: z.string(),
  topic: z.string(),
  role: Role,
  unreadCount: z.number().int(),
  lastReadSeq: z.number().int(),
  lastMessage: LastMessageSchema.nullable(),
  lastActivityAt: z.string(),
  peer: PeerSchema.optional(),
});
export type RoomSummary = z.infer<typeof RoomSummarySchema>;

export type Receipt = { userId: string; deliveredSeq: number; readSeq: number };

// Client → server frames. Anything else is answered with an `error` frame; the socket stays open.
export const ClientFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message"), body: MessageBody, clientId: ClientId }),
  z.object({ type: z.literal("typing"), typing: z.boolean() }),
  z.object({ type: z.literal("read"), seq: Seq }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export type ErrorCode = "invalid_request" | "payload_too_large" | "rate_limited" | "forbidden" | "not_found";

// Server → client frames.
export type ServerFrame =
  | {
      type: "welcome";
      roomId: string;
      userId: string;
      lastSeq: number;
      online: string[];
      receipts: Receipt[];
    }
  | { type: "message"; message: Message }
  | { type: "message_updated"; message: Message }
  | { type: "typing"; userId: string; typing: boolean }
  | { type: "presence"; userId: string; online: boolean }
  | ({ type: "receipt" } & Receipt)
  | { type: "error"; code: ErrorCode; message: string; clientId?: string }
  | { type: "pong" }
  | { type: "room_updated"; room: RoomSummary }
  | { type: "room_added"; room: RoomSummary }
  | { type: "room_removed"; roomId: string };
