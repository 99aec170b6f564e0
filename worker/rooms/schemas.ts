import { z } from "@hono/zod-openapi";
import { shownName, shownText } from "../http/text";
import { ClientId, LastMessageSchema, MessageBody, MessageSchema, Seq } from "../protocol/messages";
import { MemberSchema as MemberWire, PeerSchema, Role, RoomKind, RoomSummarySchema } from "../protocol/rooms";

const RoomId = z.string().min(1).max(100).openapi({ example: "0b5f3c1e-8d2a-4f6b-9a71-2c4d5e6f7a8b" });
const Timestamp = z.string().openapi({ format: "date-time", example: "2026-11-21T15:40:00.000Z" });

export const MessageDoc = MessageSchema.openapi("Message", {
  example: {
    id: "7d9c2b1a-0e3f-4a5b-8c6d-1e2f3a4b5c6d",
    roomId: "0b5f3c1e-8d2a-4f6b-9a71-2c4d5e6f7a8b",
    seq: 42,
    userId: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55",
    body: "Hello, room!",
    clientId: "c-1732203600000-1",
    createdAt: "2026-11-21T15:40:00.000Z",
    editedAt: null,
    deletedAt: null,
  },
});
LastMessageSchema.openapi("LastMessage");
PeerSchema.openapi("Peer");

export const RoomSummaryDoc = RoomSummarySchema.openapi("RoomSummary");
export const RoomListSchema = z.object({ rooms: RoomSummaryDoc.array() }).openapi("RoomList");

export const MemberSchema = MemberWire.openapi("Member");
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
  .openapi("Room");
export type RoomDetail = z.infer<typeof RoomDetailSchema>;

export const DiscoveredRoomSchema = z
  .object({
    id: RoomId,
    kind: z.literal("public").openapi({ description: "Only public rooms can be discovered." }),
    name: z.string(),
    topic: z.string(),
    memberCount: z.number().int(),
    lastActivityAt: Timestamp,
  })
  .openapi("DiscoveredRoom");
export const DiscoverListSchema = z
  .object({ rooms: DiscoveredRoomSchema.array() })
  .openapi("DiscoveredRooms");

const RoomName = shownName(1, 80).openapi({ example: "general" });
const Topic = shownText(250).openapi({ example: "Anything goes" });

export const CreateRoomBody = z
  .object({
    name: RoomName,
    kind: z.enum(["public", "private"], "must be public or private").openapi({ example: "public" }),
    topic: Topic.optional(),
  })
  .openapi("CreateRoom");

export const UpdateRoomBody = z
  .object({ name: RoomName.optional(), topic: Topic.optional() })
  .openapi("UpdateRoom");

export const DirectRoomBody = z
  .object({
    userId: z.string().min(1, "is required").openapi({ example: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55" }),
  })
  .openapi("OpenDirectRoom");

export const AddMemberBody = z
  .object({
    userId: z.string().min(1, "is required"),
    role: z.enum(["admin", "member"], "must be admin or member").optional().openapi({ example: "member" }),
  })
  .openapi("AddMember");

export const DiscoverQuery = z.object({
  q: z.string().max(80, "must be at most 80 characters").optional().openapi({ example: "gen" }),
});

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
  })
  .refine((query) => query.before === undefined || query.after === undefined, {
    message: "use either before or after, not both",
    path: ["before"],
  });

export const HistorySchema = z
  .object({
    messages: MessageDoc.array(),
    hasMore: z.boolean().openapi({
      description:
        "More messages exist in the direction of paging: older for before (and the newest page), newer for after.",
    }),
  })
  .openapi("MessagePage");

export const SendMessageBody = z
  .object({
    body: MessageBody.openapi({ example: "Hello, room!" }),
    clientId: ClientId.optional().openapi({
      description: "Your id for this send (1–64 characters). Sending it again returns the first message.",
      example: "c-1732203600000-1",
    }),
  })
  .openapi("SendMessage");

export const EditMessageBody = z
  .object({ body: MessageBody.openapi({ example: "Hello, everyone!" }) })
  .openapi("EditMessage");

export const ReadBody = z.object({ seq: Seq.openapi({ example: 42 }) }).openapi("MarkRead");

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
});

export type DiscoveredRoom = z.infer<typeof DiscoveredRoomSchema>;
export type MessagePage = z.infer<typeof HistorySchema>;
