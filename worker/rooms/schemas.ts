import { z } from "@hono/zod-openapi";
import { examples } from "../http/openapi";
import { shownName, shownText } from "../http/text";
import { AttachmentIds } from "../protocol/frames";
import { MAX_CLIENT_ID_CHARS, MAX_MESSAGE_CHARS } from "../protocol/limits";
import {
  ClientId,
  LastMessageSchema,
  MessageBody,
  MessageSchema,
  OptionalMessageBody,
  PositiveSeq,
  Seq,
} from "../protocol/messages";
import { MemberSchema as MemberWire, PeerSchema, Role, RoomKind, RoomSummarySchema } from "../protocol/rooms";

const RoomId = z.string().min(1).max(100).openapi({ example: examples.roomId });
const Timestamp = z.string().openapi({ format: "date-time", example: examples.time });

const messageExample = {
  id: "7d9c2b1a-0e3f-4a5b-8c6d-1e2f3a4b5c6d",
  roomId: examples.roomId,
  seq: 42,
  userId: examples.userId,
  body: "Hello, room!",
  clientId: "c-1732203600000-1",
  createdAt: examples.time,
  editedAt: null,
  deletedAt: null,
  kind: "text" as const,
  threadSeq: null,
  replyTo: { seq: 41, userId: examples.userId, body: "Who is in for lunch?" },
  mentions: [],
  reactions: [{ emoji: "👍", count: 2, userIds: [examples.userId, "9b2e4f70-1c3d-4e5f-8a9b-0c1d2e3f4a5b"] }],
  pinnedAt: null,
  pinnedBy: null,
  thread: { replyCount: 3, lastReplyAt: examples.time, participantIds: [examples.userId] },
  call: null,
  attachments: [],
  linkPreview: null,
};

export const MessageDoc = MessageSchema.openapi("Message", { example: messageExample });
LastMessageSchema.openapi("LastMessage");
PeerSchema.openapi("Peer");

const roomSummaryExample = {
  id: examples.roomId,
  kind: "public" as const,
  name: "general",
  topic: "Anything goes",
  role: "member" as const,
  unreadCount: 2,
  mentionCount: 1,
  notify: "all" as const,
  lastReadSeq: 40,
  lastMessage: { seq: 42, userId: examples.userId, body: "Hello, room!", createdAt: examples.time },
  lastActivityAt: examples.time,
};

export const RoomSummaryDoc = RoomSummarySchema.openapi("RoomSummary", { example: roomSummaryExample });
export const RoomListSchema = z
  .object({ rooms: RoomSummaryDoc.array() })
  .openapi("RoomList", { example: { rooms: [roomSummaryExample] } });

const memberExample = {
  userId: examples.userId,
  username: "alice",
  displayName: "Alice Liddell",
  role: "owner" as const,
  online: true,
  avatarUrl: `/api/files/avatars/${examples.userId}/8f14e45f-ceea-467f-a0e6-a1b2c3d4e5f6`,
};

export const MemberSchema = MemberWire.openapi("Member", { example: memberExample });
export type Member = z.infer<typeof MemberSchema>;

export const RoomDetailSchema = z
  .object({
    id: RoomId,
    kind: RoomKind,
    name: z.string().openapi({ example: "general" }),
    topic: z.string().openapi({ example: "Anything goes" }),
    createdAt: Timestamp,
    role: Role.nullable().openapi({ description: "The caller's role; null if they are not a member." }),
    members: MemberSchema.array(),
  })
  .openapi("Room", {
    example: {
      id: examples.roomId,
      kind: "public",
      name: "general",
      topic: "Anything goes",
      createdAt: examples.time,
      role: "owner",
      members: [memberExample],
    },
  });
export type RoomDetail = z.infer<typeof RoomDetailSchema>;

function discoveredRoomExample() {
  return {
    id: examples.roomId,
    kind: "public" as const,
    name: "general",
    topic: "Anything goes",
    memberCount: 12,
    lastActivityAt: examples.time,
  };
}

export const DiscoveredRoomSchema = z
  .object({
    id: RoomId,
    kind: z.literal("public").openapi({ description: "Only public rooms can be discovered." }),
    name: z.string(),
    topic: z.string(),
    memberCount: z.number().int(),
    lastActivityAt: Timestamp,
  })
  .openapi("DiscoveredRoom", { example: discoveredRoomExample() });
export const DiscoverListSchema = z
  .object({ rooms: DiscoveredRoomSchema.array() })
  .openapi("DiscoveredRooms", { example: { rooms: [discoveredRoomExample()] } });

const RoomName = shownName(1, 80).openapi({ example: "general" });
const Topic = shownText(250).openapi({ example: "Anything goes" });

export const CreateRoomBody = z
  .object({
    name: RoomName,
    kind: z.enum(["public", "private"], "must be public or private").openapi({ example: "public" }),
    topic: Topic.optional(),
  })
  .openapi("CreateRoom", { example: { name: "general", kind: "public", topic: "Anything goes" } });

export const UpdateRoomBody = z
  .object({ name: RoomName.optional(), topic: Topic.optional() })
  .openapi("UpdateRoom", { example: { topic: "Now with a topic" } });

export const DirectRoomBody = z
  .object({
    userId: z.string().min(1, "is required").openapi({ example: examples.userId }),
  })
  .openapi("OpenDirectRoom", { example: { userId: examples.userId } });

export const AddMemberBody = z
  .object({
    userId: z.string().min(1, "is required"),
    role: z.enum(["admin", "member"], "must be admin or member").optional().openapi({ example: "member" }),
  })
  .openapi("AddMember", { example: { userId: examples.userId, role: "member" } });

export const DiscoverQuery = z.object({
  q: z.string().max(80, "must be at most 80 characters").optional().openapi({ example: "gen" }),
});

const optionalPositiveSeq = z.coerce
  .number()
  .int("must be a whole number")
  .positive("must be 1 or more")
  .optional();

const optionalSeq = z.coerce
  .number()
  .int("must be a whole number")
  .nonnegative("must be 0 or more")
  .optional();

export const HistoryQuery = z
  .object({
    before: optionalSeq.openapi({
      description: "Messages older than this seq (newest first page if omitted).",
    }),
    after: optionalSeq.openapi({ description: "Messages newer than this seq." }),
    limit: z.coerce
      .number()
      .int("must be a whole number")
      .min(1, "must be 1 to 100")
      .max(100, "must be 1 to 100")
      .default(50),
    thread: optionalPositiveSeq.openapi({
      description:
        "The replies of this thread (without its root). Without it: the main timeline, replies left out.",
    }),
    around: optionalPositiveSeq.openapi({
      description:
        "A page of the main timeline centred on this seq (jump to a message): answered with hasMoreBefore/hasMoreAfter.",
    }),
  })
  .refine((query) => query.before === undefined || query.after === undefined, {
    message: "use either before or after, not both",
    path: ["before"],
  })
  .refine(
    (query) =>
      query.around === undefined ||
      (query.before === undefined && query.after === undefined && query.thread === undefined),
    {
      message: "around goes alone (no before, after or thread)",
      path: ["around"],
    },
  );

export const HistorySchema = z
  .object({
    messages: MessageDoc.array(),
    hasMore: z.boolean().openapi({
      description:
        "More messages exist in the direction of paging: older for before (and the newest page), newer for after.",
    }),
  })
  .openapi("MessagePage", { example: { messages: [messageExample], hasMore: false } });

export const PageAroundSchema = z
  .object({ messages: MessageDoc.array(), hasMoreBefore: z.boolean(), hasMoreAfter: z.boolean() })
  .openapi("MessagePageAround", {
    example: { messages: [messageExample], hasMoreBefore: true, hasMoreAfter: false },
  });

// The body's and clientId's rules are refinements (they count characters, not UTF-16 units), which
// the document cannot see: their limits are stated here, and \S is the "not only white space" rule.
const bodyLimits = { minLength: 1, maxLength: MAX_MESSAGE_CHARS, pattern: "\\S" };

export const SendMessageBody = z
  .object({
    body: OptionalMessageBody.openapi({
      maxLength: MAX_MESSAGE_CHARS,
      description: "1–4,000 characters, not only white space; empty only when attachmentIds is not.",
      example: "Hello, room!",
    }),
    clientId: ClientId.optional().openapi({
      description: "Your id for this send (1–64 characters). Sending it again returns the first message.",
      minLength: 1,
      maxLength: MAX_CLIENT_ID_CHARS,
      example: "c-1732203600000-1",
    }),
    threadSeq: PositiveSeq.optional().openapi({
      description: "Reply in the thread of this message (which must not itself be a reply in a thread).",
      example: 40,
    }),
    replyTo: PositiveSeq.optional().openapi({ description: "Quote this message.", example: 41 }),
    attachmentIds: AttachmentIds.optional().openapi({
      description: "Your uploads to this room (POST …/attachments) that this message sends, at most 10.",
      example: ["5c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"],
    }),
  })
  .refine((send) => send.body !== "" || (send.attachmentIds?.length ?? 0) > 0, {
    message: "must not be empty unless the message has attachmentIds",
    path: ["body"],
  })
  .openapi("SendMessage", { example: { body: "Hello, room!", clientId: "c-1732203600000-1" } });

export const EditMessageBody = z
  .object({ body: MessageBody.openapi({ ...bodyLimits, example: "Hello, everyone!" }) })
  .openapi("EditMessage", { example: { body: "Hello, everyone!" } });

export const ReadBody = z
  .object({ seq: Seq.openapi({ example: 42 }) })
  .openapi("MarkRead", { example: { seq: 42 } });

export const RoomParams = z.object({ roomId: RoomId.openapi({ param: { name: "roomId", in: "path" } }) });
export const MemberParams = RoomParams.extend({
  userId: z.string().openapi({ param: { name: "userId", in: "path" } }),
});
export const MessageParams = RoomParams.extend({
  seq: z.coerce
    .number()
    .int("must be a whole number")
    .positive("must be 1 or more")
    .openapi({ param: { name: "seq", in: "path" }, example: 42 }),
});

export const SocketQuery = z.object({
  token: z.string().optional().openapi({
    description: "The access token (browsers cannot set headers on a WebSocket); for wscat and scripts.",
  }),
  ticket: z.string().optional().openapi({
    description: "A one-time ticket from POST /api/auth/ticket, instead of the token (for pages).",
  }),
  since: optionalSeq.openapi({
    description: "Resume: first receive every message after this seq, then live frames.",
  }),
  batch: z.enum(["0", "1"], "must be 0 or 1").optional().openapi({
    description:
      '1: whenever more than one frame is ready for you in the same turn, receive them in order in one `{type: "batch", frames: [...]}` frame.',
  }),
});

export type DiscoveredRoom = z.infer<typeof DiscoveredRoomSchema>;
export type MessagePage = z.infer<typeof HistorySchema>;
