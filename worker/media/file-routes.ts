import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { forbidden, notFound } from "../http/errors";
import { errorResponses, publicSecurity } from "../http/openapi";
import { openRoutes } from "../http/routers";
import { disposition, servedInline } from "./content-types";
import { avatarKey, fileKey, filePath, previewImageKey, thumbnailKey } from "./keys";
import { urlSigner } from "./signed-urls";

// Serving files from R2. Room files and link-preview images need a signed URL (signed-urls.ts):
// the URL is the capability, so <img src> and downloads work without a bearer token, and only
// members are ever handed one. Avatars are served by an unguessable key that is new for every
// upload (users/avatar-routes.ts), like any profile field, to every signed-in page.
//
// Every answer has an ETag (If-None-Match → 304), Accept-Ranges (Range → 206, for video seeking
// and resumed downloads) and Cache-Control: private. What a browser would run is a download.

const tags = ["Files"];
const security = publicSecurity;

const Signed = z.object({
  expires: z
    .string()
    .optional()
    .openapi({ description: "When the URL stops working (Unix seconds).", example: "1732207200" }),
  signature: z
    .string()
    .optional()
    .openapi({ description: "The server's signature of path and expiry.", example: "q1Zr0…" }),
});
const Id = (name: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name, in: "path" } });

const fileAnswers = {
  200: { description: "The bytes." },
  206: { description: "The requested range of the bytes." },
  304: { description: "Not modified (If-None-Match matched the ETag)." },
  416: { description: "The range is outside the file." },
};

const roomFile = createRoute({
  method: "get",
  path: "/rooms/{roomId}/{attachmentId}/{variant}",
  operationId: "getAttachmentFile",
  tags,
  security,
  summary: "An attachment's file or thumbnail (a signed URL from a message)",
  description: `Use the \`url\` or \`thumbnailUrl\` of an attachment as it is: it expires after ATTACHMENT_URL_TTL_S
seconds (a history fetch or a broadcast hands out fresh ones). Unsigned, altered or expired: 403.
Images, audio and video are served inline; anything else (HTML, SVG, JavaScript, XML, PDF, …) as a
download, always with \`nosniff\` and a sandboxing Content-Security-Policy.`,
  request: {
    params: z.object({
      roomId: Id("roomId"),
      attachmentId: Id("attachmentId"),
      variant: z.enum(["file", "thumbnail"]).openapi({ param: { name: "variant", in: "path" } }),
    }),
    query: Signed,
  },
  responses: { ...fileAnswers, ...errorResponses(400, 403, 404) },
});

const previewImage = createRoute({
  method: "get",
  path: "/previews/{previewId}",
  operationId: "getLinkPreviewImage",
  tags,
  security,
  summary: "A link preview's image, kept by the server (a signed URL from a message)",
  description:
    "The linked site never sees who looks: the server fetched the image once and serves it from here.",
  request: { params: z.object({ previewId: Id("previewId") }), query: Signed },
  responses: { ...fileAnswers, ...errorResponses(400, 403, 404) },
});

const avatar = createRoute({
  method: "get",
  path: "/avatars/{userId}/{version}",
  operationId: "getAvatar",
  tags,
  security,
  summary: "Someone's avatar (the avatarUrl of a profile or member)",
  description:
    "Each upload has a new URL, so an avatar URL never changes what it shows and may be cached for long.",
  request: { params: z.object({ userId: Id("userId"), version: Id("version") }) },
  responses: { ...fileAnswers, ...errorResponses(404) },
});

type FileContext = Context<AppEnv>;

function checkSignature(c: FileContext, key: string): void {
  const verdict = urlSigner(c.env).verify(filePath(key), c.req.query("expires"), c.req.query("signature"));
  if (verdict === "expired")
    throw forbidden("This link has expired; reload the conversation for a fresh one.");
  if (verdict !== "valid") throw forbidden("This link is not valid (unsigned or altered).");
}

/** A single `bytes=` range of a file of `size` bytes; null for none (or several: the whole file). */
function rangeOf(
  header: string | undefined,
  size: number,
): { offset: number; length: number } | null | "bad" {
  const match = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!header || !match) return null;
  const [first, last] = [match[1] ?? "", match[2] ?? ""];
  if (first === "" && last === "") return "bad";
  if (first === "") {
    const suffix = Math.min(Number(last), size);
    return suffix === 0 ? "bad" : { offset: size - suffix, length: suffix };
  }
  const offset = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (offset >= size || end < offset) return "bad";
  return { offset, length: end - offset + 1 };
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const weakless = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || weakless(tag) === etag);
}

async function serve(c: FileContext, key: string, maxAge: number): Promise<Response> {
  const head = await c.env.FILES.head(key);
  if (!head) throw notFound("No such file.");
  const contentType = head.httpMetadata?.contentType ?? "application/octet-stream";
  const name = head.customMetadata?.name ?? key.split("/").at(-2) ?? "file";
  const headers = new Headers({
    "Content-Type": contentType,
    ETag: head.httpEtag,
    "Accept-Ranges": "bytes",
    "Cache-Control": `private, max-age=${maxAge}`,
    "Content-Disposition":
      head.httpMetadata?.contentDisposition ?? disposition(name, servedInline(contentType)),
  });
  if (matches(c.req.header("If-None-Match"), head.httpEtag))
    return new Response(null, { status: 304, headers });
  const range = rangeOf(c.req.header("Range"), head.size);
  if (range === "bad") {
    // 416 is not in the API's table of errors; it is answered in the one error shape all the same.
    const body = { error: { code: "invalid_request", message: "The range is outside the file." } };
    return Response.json(body, { status: 416, headers: { "Content-Range": `bytes */${head.size}` } });
  }
  const object = await c.env.FILES.get(key, range ? { range } : undefined);
  if (!object) throw notFound("No such file.");
  if (!range) {
    headers.set("Content-Length", String(head.size));
    return new Response(object.body, { status: 200, headers });
  }
  headers.set("Content-Length", String(range.length));
  headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
  return new Response(object.body, { status: 206, headers });
}

/** Until a signed URL expires, a browser may keep what it fetched. */
const untilExpiry = (c: FileContext) =>
  Math.max(0, Number(c.req.query("expires")) - Math.floor(Date.now() / 1000));

export const fileRoutes = openRoutes()
  .openapi(roomFile, async (c) => {
    const { roomId, attachmentId, variant } = c.req.valid("param");
    const key = variant === "file" ? fileKey(roomId, attachmentId) : thumbnailKey(roomId, attachmentId);
    checkSignature(c, key);
    return serve(c, key, untilExpiry(c));
  })
  .openapi(previewImage, async (c) => {
    const key = previewImageKey(c.req.valid("param").previewId);
    checkSignature(c, key);
    return serve(c, key, untilExpiry(c));
  })
  .openapi(avatar, async (c) => {
    const { userId, version } = c.req.valid("param");
    return serve(c, avatarKey(userId, version), 31_536_000);
  });
