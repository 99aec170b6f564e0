import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { users } from "../db/schema";
import { ApiError, invalidRequest } from "../http/errors";
import { bearerSecurity, errorResponses, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { sniffImage } from "../media/content-types";
import { avatarKey } from "../media/keys";
import { declaredLength, rawBody, rawBodyResponses } from "../media/raw-body";
import { AVATAR_PIXELS, MAX_AVATAR_BYTES } from "../media/settings";
import { scaledDown } from "../media/thumbnail";
import { announceProfile } from "../rooms/member-events";
import { OwnProfileSchema } from "./schemas";
import { currentUser, ownProfile } from "./user";

// Avatars: a picture of at most 5 MiB (JPEG, PNG, GIF or WebP), cropped to a centred square (the
// web client lets people choose the square first), scaled to 256 px and re-encoded, so nothing of
// the original file but its pixels is kept. Each upload gets a new random key, so an avatar URL
// never changes what it shows: it needs no signature and no expiry, and browsers cache it for good.
// Every room the person is in hears of the change (a `member` frame with the new avatarUrl).

const tags = ["Users"];
const security = bearerSecurity;

const putAvatar = createRoute({
  method: "put",
  path: "/me/avatar",
  operationId: "setAvatar",
  tags,
  security,
  summary: "Set your avatar (the picture's bytes as the body)",
  description:
    "JPEG, PNG, GIF or WebP, at most 5 MiB (415 for anything else). Cropped to a centred square and scaled to 256 × 256.",
  request: rawBody("The picture's bytes, with its Content-Length."),
  responses: {
    200: jsonResponse(OwnProfileSchema, "Your profile with its new avatarUrl."),
    ...errorResponses(400, 401),
    ...rawBodyResponses("5 MiB"),
    415: {
      description: "Not a JPEG, PNG, GIF or WebP picture.",
      content: errorResponses(415)[415].content,
    },
  },
});

const deleteAvatar = createRoute({
  method: "delete",
  path: "/me/avatar",
  operationId: "deleteAvatar",
  tags,
  security,
  summary: "Remove your avatar (your initials are shown instead)",
  responses: { 200: jsonResponse(OwnProfileSchema, "Your profile, avatarUrl null."), ...errorResponses(401) },
});

/** Reads a body of a known, small length (an avatar is decoded whole anyway). */
async function readBody(body: ReadableStream<Uint8Array> | null, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let at = 0;
  const reader = body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    if (at + chunk.value.length > length) {
      await reader?.cancel();
      throw invalidRequest("The body is longer than its Content-Length.");
    }
    bytes.set(chunk.value, at);
    at += chunk.value.length;
  }
  if (at < length) throw invalidRequest(`The body ended before its Content-Length (${length} bytes).`);
  return bytes;
}

export const avatarRoutes = signedInRoutes()
  .openapi(putAvatar, async (c) => {
    const length = declaredLength(c.req.header("content-length"), MAX_AVATAR_BYTES, "An avatar");
    const bytes = await readBody(c.req.raw.body, length);
    const type = sniffImage(bytes);
    if (!type)
      throw new ApiError("unsupported_media_type", "An avatar must be a JPEG, PNG, GIF or WebP picture.");
    const square = scaledDown(bytes, type, { longSide: AVATAR_PIXELS, orientation: 1, square: true });
    if (!square) throw invalidRequest("This picture could not be read.");
    const db = database(c.env.DB);
    const before = await currentUser(db, c.var.user.id);
    const key = avatarKey(before.id, crypto.randomUUID());
    await c.env.FILES.put(key, square.bytes, { httpMetadata: { contentType: square.contentType } });
    await db.update(users).set({ avatarKey: key }).where(eq(users.id, before.id));
    if (before.avatarKey) c.executionCtx.waitUntil(c.env.FILES.delete(before.avatarKey));
    const user = { ...before, avatarKey: key };
    c.executionCtx.waitUntil(announceProfile(c.env, db, user));
    return c.json(ownProfile(user), 200);
  })
  .openapi(deleteAvatar, async (c) => {
    const db = database(c.env.DB);
    const before = await currentUser(db, c.var.user.id);
    if (!before.avatarKey) return c.json(ownProfile(before), 200);
    await db.update(users).set({ avatarKey: null }).where(eq(users.id, before.id));
    c.executionCtx.waitUntil(c.env.FILES.delete(before.avatarKey));
    const user = { ...before, avatarKey: null };
    c.executionCtx.waitUntil(announceProfile(c.env, db, user));
    return c.json(ownProfile(user), 200);
  });
