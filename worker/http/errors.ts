import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isForeignKeyViolation } from "../db/errors";

// Every error leaves the API in one shape (API.md): {"error": {"code", "message", "details"?}}.
// Routes throw ApiError; the app's onError turns it, and anything unexpected, into that shape.

const statusByCode = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  length_required: 411,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof statusByCode;

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds, sent as Retry-After with 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return statusByCode[this.code];
  }
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function errorResponse(c: Context, error: ApiError): Response {
  if (error.retryAfter !== undefined) c.header("Retry-After", String(error.retryAfter));
  return c.json(errorBody(error.code, error.message, error.details), error.status);
}

export const invalidRequest = (message: string, details?: unknown) =>
  new ApiError("invalid_request", message, details);
export const unauthorized = (message = "Missing or invalid credentials.") =>
  new ApiError("unauthorized", message);
export const forbidden = (message: string) => new ApiError("forbidden", message);
export const notFound = (message = "Not found.") => new ApiError("not_found", message);
export const conflict = (message: string) => new ApiError("conflict", message);
export const rateLimited = (message: string, retryAfter: number) =>
  new ApiError("rate_limited", message, undefined, retryAfter);

// Hono and its validators raise HTTPException for requests they refuse before our code runs.
const refusalsByStatus: Partial<Record<number, ApiError>> = {
  400: invalidRequest("The request body is not valid JSON."),
  401: unauthorized(),
  413: new ApiError("payload_too_large", "The request body is larger than 64 KiB."),
  415: new ApiError("unsupported_media_type", "Send the body as JSON, with content-type: application/json."),
};

export function handleError(error: unknown, c: Context): Response {
  if (error instanceof ApiError) return errorResponse(c, error);
  const refusal = error instanceof HTTPException ? refusalsByStatus[error.status] : undefined;
  if (refusal) return errorResponse(c, refusal);
  // Only the caller's own id can be missing: tokens are not looked up per request.
  if (isForeignKeyViolation(error)) return errorResponse(c, unauthorized("This account no longer exists."));
  // A bug or an outage: log it for us, tell the client nothing about the internals.
  console.error("unhandled error", c.req.method, new URL(c.req.url).pathname, error);
  return errorResponse(c, new ApiError("internal_error", "Something went wrong on our side."));
}
