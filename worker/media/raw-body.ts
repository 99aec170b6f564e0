import { z } from "@hono/zod-openapi";
import { ApiError, invalidRequest } from "../http/errors";
import { ErrorSchema } from "../http/openapi";

// Uploads are raw bodies (the file's bytes, with its own Content-Type), not JSON: they skip the
// app's 64 KiB JSON body limit (worker/http/security.ts asks `isRawUpload`) and are limited here,
// by their declared Content-Length, before a byte is read.

const RAW_UPLOADS = [/^\/api\/rooms\/[^/]+\/attachments$/, /^\/api\/users\/me\/avatar$/];

export function isRawUpload(method: string, path: string): boolean {
  return (method === "POST" || method === "PUT") && RAW_UPLOADS.some((pattern) => pattern.test(path));
}

/** The declared length of a raw body: 411 without one, 413 past `max`, 400 when empty. */
export function declaredLength(header: string | undefined, max: number, what: string): number {
  if (header === undefined || !/^\d{1,15}$/.test(header.trim()))
    throw new ApiError("length_required", "Send the file with a Content-Length header.");
  const length = Number(header.trim());
  if (length > max)
    throw new ApiError(
      "payload_too_large",
      `${what} may be at most ${inWords(max)}; this one is ${inWords(length)}.`,
    );
  if (length === 0) throw invalidRequest("The file is empty.");
  return length;
}

/** A size as people read it: "25 MiB", "1.5 MiB", "300 KiB", "12 bytes". */
function inWords(bytes: number): string {
  const [unit, size] =
    bytes >= 1024 * 1024 ? ["MiB", 1024 * 1024] : bytes >= 1024 ? ["KiB", 1024] : ["bytes", 1];
  return `${Number((bytes / size).toFixed(1))} ${unit}`;
}

/** The OpenAPI request body of a raw upload. */
export function rawBody(description: string) {
  return {
    body: {
      required: true,
      description,
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    },
  };
}

const json = { "application/json": { schema: ErrorSchema } };

/** The refusals only a raw upload has (with their own descriptions of 413). */
export function rawBodyResponses(limit: string) {
  return {
    411: { description: "No Content-Length header.", content: json },
    413: { description: `The file is larger than ${limit}.`, content: json },
  };
}
