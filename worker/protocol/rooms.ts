import { z } from "zod";
import { LastMessageSchema } from "./messages";

// What a room and its members look like on the wire: the room list item (GET /api/rooms and the
// user channel's room frames) and a member (GET /api/rooms/{id} and the room's `member` frames).

export const RoomKind = z.enum(["public", "private", "direct"]);
export type RoomKind = z.infer<typeof RoomKind>;
export const Role = z.enum(["owner", "admin", "member"]);
export type Role = z.infer<typeof Role>;

export const PeerSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
});

export const RoomSummarySchema = z.object({
  id: z.string(),
  kind: RoomKind,
  name: z.string(),
  topic: z.string(),
  role: Role,
  unreadCount: z.number().int(),
  /** Unread messages mentioning you (thread replies included). */
  mentionCount: z.number().int(),
  /** What you are notified of in this room. */
  notify: z.enum(["all", "mentions", "none"]),
  lastReadSeq: z.number().int(),
  lastMessage: LastMessageSchema.nullable(),
  lastActivityAt: z.string(),
  peer: PeerSchema.optional(),
});
export type RoomSummary = z.infer<typeof RoomSummarySchema>;

export const MemberSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  online: z.boolean(),
  /** Their avatar (GET it as it is), or null: show their initials. */
  avatarUrl: z.string().nullable(),
});
export type Member = z.infer<typeof MemberSchema>;
