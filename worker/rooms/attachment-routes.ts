import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { database } from "../db/client";
import { invalidRequest } from "../http/errors";
import { bearerSecurity, errorResponses, examples, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { text } from "../http/text";
import { disposition, servedInline } from "../media/content-types";
import { fileKey, thumbnailKey } from "../media/keys";
import { releaseQuota, reserveQuota } from "../media/quota";
import { declaredLength, rawBody, rawBodyResponses } from "../media/raw-body";
import {
  MAX_THUMBNAIL_SOURCE_BYTES,
  MAX_THUMBNAIL_SOURCE_PIXELS,
  mediaSettings,
  THUMBNAIL_PIXELS,
} from "../media/settings";
import { scaledDown } from "../media/thumbnail";
import { type StoredUpload, storeUpload, UploadBodyError } from "../media/upload";
import { AttachmentSchema, LinkPreviewSchema } from "../protocol/messages";
import type { Caller } from "../room-object/api";
import { asMember, roomAccess, roomObject, unwrap } from "./access";
import { MessageDoc, MessageParams, RoomParams } from "./schemas";

// Files in a room (API.md "Attachments and link previews"). An upload is authorised (a member who
// may post, within the daily quota), recorded by the room, streamed to R2 (media/upload.ts: never
// held whole in memory), thumbnailed if it is an image, then handed back as an Attachment whose
// id a message then sends. Files are as large as MAX_UPLOAD_BYTES allows, and never more than the
// Workers plan's request body limit (100 MiB on Free and Pro), which the platform enforces first.

const tags = ["Attachments"];
const security = bearerSecurity;

export const AttachmentDoc = AttachmentSchema.openapi("Attachment", {
  example: {
    id: "5c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
    name: "harbour.jpg",
    contentType: "image/jpeg",
    size: 482133,
    width: 1600,
    height: 1200,
    url: `/api/files/rooms/${examples.roomId}/5c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f/file?expires=1732207200&signature=q1Zr0d8Xb2N6c4Ue9wLk7A`,
    thumbnailUrl: `/api/files/rooms/${examples.roomId}/5c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f/thumbnail?expires=1732207200&signature=Hd93kLq0sV1xYb7ZpC4mTw`,
  },
});
LinkPreviewSchema.openapi("LinkPreview", {
  example: {
    url: "https://example.com/harbour",
    title: "The harbour at dawn",
    description: "Boats, gulls and a very early coffee.",
    siteName: "Example",
    imageUrl: "/api/files/previews/3b9f0c1e5a7d4c2b?expires=1732207200&signature=Zx81mQp0a9B2c3D4e5F6gA",
  },
});

const FileName = text(1, 255)
  .refine(
    (name) => ![...name].some((char) => char < " " || char === "\u007f"),
    "must not contain control characters",
  )
  .openapi({
    description: "The file's name, as people will see it (a path is cut to its last part).",
    example: "harbour.jpg",
  });

const upload = createRoute({
  method: "post",
  path: "/{roomId}/attachments",
  operationId: "uploadAttachment",
  tags,
  security,
  summary: "Upload a file to a room (then send it with a message's attachmentIds)",
  description: `The body is the file itself, with its \`Content-Type\` and \`Content-Length\` (411 without one).
At most MAX_UPLOAD_BYTES (25 MiB by default; 413 past it), and each person may upload
UPLOAD_QUOTA_BYTES_PER_DAY in UPLOAD_QUOTA_FILES_PER_DAY files per UTC day (429 past either, with
Retry-After). A body longer or shorter than its Content-Length is refused (400).

Images (JPEG, PNG, GIF, WebP) are recognised by their bytes, whatever their name or declared type
(a PNG named .jpg is a PNG; HTML called .jpg is stored as application/octet-stream); their width and
height are known at once, a thumbnail of at most 480 px is made, and location metadata (Exif GPS,
XMP) is removed before anyone else can fetch them. An upload that no message sends within 24 hours
is removed. Members only: outsiders of a private room get 404, of a public room 403 (join first);
muted members 403.`,
  request: {
    params: RoomParams,
    query: z.object({ name: FileName }),
    ...rawBody("The file's bytes."),
  },
  responses: {
    201: jsonResponse(AttachmentDoc, "Stored; send its id in a message's attachmentIds."),
    ...errorResponses(400, 401, 403, 404, 429),
    ...rawBodyResponses("MAX_UPLOAD_BYTES (25 MiB by default)"),
  },
});

const removePreview = createRoute({
  method: "delete",
  path: "/{roomId}/messages/{seq}/preview",
  operationId: "removeLinkPreview",
  tags: ["Messages"],
  security,
  summary: "Remove your message's link preview",
  description:
    "Its author only. Everyone sees `message_updated` with `linkPreview: null`; it does not come back.",
  request: { params: MessageParams },
  responses: {
    200: jsonResponse(MessageDoc, "The message without its card."),
    ...errorResponses(401, 403, 404),
  },
});

/** The last part of a path someone's browser may have sent as the name. */
const baseName = (name: string) => name.split(/[/\\]/).filter(Boolean).at(-1) ?? "file";

/** A thumbnail of an image that R2 now holds (null when it is too large to decode here, or is no image). */
async function thumbnail(env: Env, roomId: string, id: string, stored: StoredUpload, size: number) {
  const { image, facts } = stored;
  if (!image || !facts?.width || !facts.height) return false;
  if (size > MAX_THUMBNAIL_SOURCE_BYTES || facts.width * facts.height > MAX_THUMBNAIL_SOURCE_PIXELS)
    return false;
  const original = await env.FILES.get(fileKey(roomId, id));
  if (!original) return false;
  const bytes = new Uint8Array(await original.arrayBuffer());
  const small = scaledDown(bytes, image, { longSide: THUMBNAIL_PIXELS, orientation: facts.orientation });
  if (!small) return false;
  await env.FILES.put(thumbnailKey(roomId, id), small.bytes, {
    httpMetadata: { contentType: small.contentType },
  });
  return true;
}

async function receive(c: Context<AppEnv>, caller: Caller, id: string, name: string, length: number) {
  const key = fileKey(caller.roomId, id);
  const body = c.req.raw.body;
  if (!body) throw invalidRequest("The file is empty.");
  const stored = await storeUpload(
    c.env.FILES,
    key,
    body,
    { length, contentType: c.req.header("content-type") },
    { name, contentDisposition: (type) => disposition(name, servedInline(type)) },
  );
  const hasThumbnail = await thumbnail(c.env, caller.roomId, id, stored, length);
  const { width, height } = stored.facts ?? { width: null, height: null };
  const details = { contentType: stored.contentType, size: length, width, height, hasThumbnail };
  return unwrap(await roomObject(c.env, caller.roomId).completeUpload(caller, id, details));
}

export const attachmentRoutes = signedInRoutes()
  .openapi(upload, async (c) => {
    const { roomId } = c.req.valid("param");
    const name = baseName(c.req.valid("query").name);
    const settings = mediaSettings(c.env);
    const db = database(c.env.DB);
    const caller = asMember(await roomAccess(db, roomId, c.var.user.id));
    const length = declaredLength(c.req.header("content-length"), settings.maxUploadBytes, "A file");
    const quota = await reserveQuota(db, caller.userId, length, settings);
    try {
      const { id } = unwrap(await roomObject(c.env, roomId).reserveUpload(caller, name));
      try {
        return c.json(await receive(c, caller, id, name, length), 201);
      } catch (error) {
        // The row stays until the room's sweep; the bytes (if any arrived) go now.
        c.executionCtx.waitUntil(c.env.FILES.delete([fileKey(roomId, id), thumbnailKey(roomId, id)]));
        throw error;
      }
    } catch (error) {
      c.executionCtx.waitUntil(releaseQuota(db, quota));
      if (error instanceof UploadBodyError) throw invalidRequest(error.message);
      throw error;
    }
  })
  .openapi(removePreview, async (c) => {
    const { roomId, seq } = c.req.valid("param");
    const caller = asMember(await roomAccess(database(c.env.DB), roomId, c.var.user.id));
    return c.json(unwrap(await roomObject(c.env, roomId).removeLinkPreview(caller, seq)), 200);
  });
