import { z } from "zod";
import { CallSummarySchema } from "./calls";
import { BODY_TOO_LONG, characterCount, MAX_CLIENT_ID_CHARS, MAX_MESSAGE_CHARS } from "./limits";

// A message as the API and the sockets carry it (API.md "Messages"), and the rules of its fields.
// The Worker validates with these schemas; the web client imports only their types.

/** A message body: 1–4,000 characters, not only white space, stored exactly as sent. */
export const MessageBody = z
  .string()
  .refine((body) => body.trim().length > 0, "must not be empty or only white space")
  .refine((body) => characterCount(body) <= MAX_MESSAGE_CHARS, BODY_TOO_LONG);

const clientIdRule = `must be 1 to ${MAX_CLIENT_ID_CHARS} characters`;
export const ClientId = z
  .string()
  .min(1, clientIdRule)
  .refine((id) => characterCount(id) <= MAX_CLIENT_ID_CHARS, clientIdRule);

/** A body that may be empty (a message of files only); when it is not, the rules of MessageBody. */
export const OptionalMessageBody = z
  .string()
  .refine((body) => body === "" || body.trim().length > 0, "must not be only white space")
  .refine((body) => characterCount(body) <= MAX_MESSAGE_CHARS, BODY_TOO_LONG);

export const Seq = z.number().int("must be a whole number").nonnegative("must be 0 or more");
export const PositiveSeq = z.number().int("must be a whole number").positive("must be 1 or more");

/** Everyone who reacted with one emoji, in first-reaction order; `userIds` complete up to 100. */
export const ReactionSchema = z.object({
  emoji: z.string(),
  count: z.number().int(),
  userIds: z.string().array(),
});
export type Reaction = z.infer<typeof ReactionSchema>;

/** A quoted message as it is now: its body cut to 200 characters, empty once deleted. */
export const ReplyToSchema = z.object({ seq: z.number().int(), userId: z.string(), body: z.string() });

/** A thread's root carries its counters once it has replies. */
export const ThreadSummarySchema = z.object({
  replyCount: z.number().int(),
  lastReplyAt: z.string(),
  participantIds: z.string().array(),
});

/** A file of a message (API.md "Attachments"): its URLs are signed and expire. */
export const AttachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  /** For images: as displayed (after the Exif orientation), so the space can be kept before it loads. */
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  url: z.string(),
  /** For images we could scale: at most 480 px on its long side. */
  thumbnailUrl: z.string().nullable(),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** The card of a message's first link, fetched by the server (its image proxied through us). */
export const LinkPreviewSchema = z.object({
  url: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  siteName: z.string().nullable(),
  imageUrl: z.string().nullable(),
});
export type LinkPreview = z.infer<typeof LinkPreviewSchema>;

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
  kind: z.enum(["text", "call"]),
  threadSeq: z.number().int().nullable(),
  replyTo: ReplyToSchema.nullable(),
  mentions: z.string().array(),
  reactions: ReactionSchema.array(),
  pinnedAt: z.string().nullable(),
  pinnedBy: z.string().nullable(),
  thread: ThreadSummarySchema.nullable(),
  /** A `kind: "call"` message (empty body) says how the call went; null on every other. */
  call: CallSummarySchema.nullable(),
  attachments: AttachmentSchema.array(),
  linkPreview: LinkPreviewSchema.nullable(),
});
export type Message = z.infer<typeof MessageSchema>;

export const LastMessageSchema = z.object({
  seq: z.number().int(),
  userId: z.string(),
  body: z.string(),
  createdAt: z.string(),
});
export type LastMessage = z.infer<typeof LastMessageSchema>;

/** How much of a quoted message a reply carries. */
export const QUOTE_CHARS = 200;
