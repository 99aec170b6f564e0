import { z } from "@hono/zod-openapi";

// Pieces every route definition uses, so the OpenAPI document describes each route the same way.

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "invalid_request" }),
      message: z.string().openapi({ example: "username: must be 3 to 32 of a-z A-Z 0-9 _ . -" }),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

const errorDescriptions = {
  400: "Invalid request: bad JSON or a field that failed validation (named in the message).",
  401: "Missing, invalid or expired credentials.",
  403: "Not allowed for the caller.",
  404: "Not found (or not visible to the caller).",
  409: "Conflicts with existing data.",
  413: "The request body is larger than 64 KiB.",
  415: "The body is not sent as application/json.",
  429: "Rate limited (`rate_limited`): too many calls; the Retry-After header says after how many seconds to try again.",
} as const;

type ErrorStatus = keyof typeof errorDescriptions;

/** Documented error responses; the handlers throw ApiError, which renders this shape. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  const responses = {} as Record<
    S,
    { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }
  >;
  for (const status of statuses) {
    responses[status] = {
      description: errorDescriptions[status],
      content: { "application/json": { schema: ErrorSchema } },
    };
  }
  return responses;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { "application/json": { schema } } } };
}

/** A JSON body that may be left out altogether (then the handler sees `{}`). */
export function optionalJsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: false, content: { "application/json": { schema } } } };
}

export const bearerSecurity = [{ bearerAuth: [] }];
