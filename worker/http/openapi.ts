import { z } from "@hono/zod-openapi";

// Pieces every route definition uses, so the OpenAPI document describes each route the same way.

/** Values the examples share, so that one example's user is the next one's author. */
export const examples = {
  userId: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55",
  roomId: "0b5f3c1e-8d2a-4f6b-9a71-2c4d5e6f7a8b",
  time: "2026-11-21T15:40:00.000Z",
  accessToken: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…",
  refreshToken: "kq3V9mZ0b8Xr2wTnQe7LcY1pHs4uJd6fA5gRiKoWlNM",
} as const;

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "invalid_request" }),
      message: z.string().openapi({ example: "username: must be 3 to 32 of a-z A-Z 0-9 _ . -" }),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error", {
    example: {
      error: { code: "invalid_request", message: "username: must be 3 to 32 of a-z A-Z 0-9 _ . -" },
    },
  });

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

/**
 * A JSON request body. Every route that takes one also documents errorResponses(413, 415): the
 * body limit and the content type are checked before its schema.
 */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { "application/json": { schema } } } };
}

/** A JSON body that may be left out altogether (then the handler sees `{}`). */
export function optionalJsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: false, content: { "application/json": { schema } } } };
}
/** Who may call a route: any one of the listed requirements, each naming a scheme of securitySchemes. */
type Security = Record<string, string[]>[];

/** Calls made with `Authorization: Bearer <access token>`. */
export const bearerSecurity: Security = [{ bearerAuth: [] }];

/** Calls anyone may make: signing up and in, and the token exchanges. */
export const publicSecurity: Security = [];

/**
 * WebSocket upgrades: a one-time ?ticket= (pages), the access token as ?token= (wscat; browsers cannot
 * set headers on a socket) or as a bearer header.
 */
export const socketSecurity: Security = [{ ticketQuery: [] }, { tokenQuery: [] }, { bearerAuth: [] }];

/** The security schemes the routes above name, registered once by createApp. */
export const securitySchemes = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from /api/auth/register, /login or /refresh.",
  },
  tokenQuery: {
    type: "apiKey",
    in: "query",
    name: "token",
    description:
      "The same access token as ?token=, for WebSocket upgrades (browsers cannot set their headers).",
  },
  ticketQuery: {
    type: "apiKey",
    in: "query",
    name: "ticket",
    description:
      "A one-time ticket from POST /api/auth/ticket as ?ticket=, for WebSocket upgrades from pages.",
  },
} as const;
