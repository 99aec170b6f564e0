import { z } from "@hono/zod-openapi";
import { examples } from "../http/openapi";
import { DisplayName, OwnProfileSchema, ownProfileExample, Password, Username } from "../users/schemas";

const UseCookie = z.boolean("must be true or false").optional().openapi({
  description:
    "true: the refresh token comes as an HttpOnly, Secure, SameSite=Strict cookie for /api/auth instead of in the JSON body (for browsers).",
  example: false,
});

export const RegisterBody = z
  .object({
    username: Username,
    password: Password,
    displayName: DisplayName.optional(),
    useCookie: UseCookie,
  })
  .openapi("Register", {
    example: { username: "alice", password: "correct horse battery", displayName: "Alice Liddell" },
  });

// Sign-in does not apply the sign-up rules: a malformed name simply does not match anyone (401).
export const LoginBody = z
  .object({
    username: z.string().min(1, "is required").max(128).openapi({ example: "alice" }),
    password: z.string().min(1, "is required").max(128).openapi({ example: "correct horse battery" }),
    useCookie: UseCookie,
  })
  .openapi("Login", { example: { username: "alice", password: "correct horse battery" } });

const RefreshToken = z.string().min(1, "is required").max(256).openapi({ example: examples.refreshToken });

export const RefreshBody = z
  .object({
    refreshToken: RefreshToken.optional().openapi({
      description: "The refresh token; leave it out to use the cookie that useCookie set.",
    }),
  })
  .openapi("Refresh", { example: { refreshToken: examples.refreshToken } });

export const AuthResultSchema = z
  .object({
    user: OwnProfileSchema,
    accessToken: z.string().openapi({ example: examples.accessToken }),
    refreshToken: RefreshToken,
    expiresIn: z.number().int().openapi({ description: "Access token lifetime in seconds.", example: 900 }),
  })
  .openapi("AuthResult", {
    example: {
      user: ownProfileExample,
      accessToken: examples.accessToken,
      refreshToken: examples.refreshToken,
      expiresIn: 900,
    },
  });

/** The answer when the refresh token went into the cookie (useCookie, or a refresh by cookie). */
export const CookieAuthResultSchema = AuthResultSchema.omit({ refreshToken: true }).openapi(
  "CookieAuthResult",
  { example: { user: ownProfileExample, accessToken: examples.accessToken, expiresIn: 900 } },
);

export const TicketSchema = z
  .object({
    ticket: z.string().openapi({ example: "NU1W-rxPUSTkh0FRfOl5JJJC7reVgzQlbMwvK7T7ti8" }),
    expiresIn: z
      .number()
      .int()
      .openapi({ description: "Seconds the ticket stays valid (at most 60).", example: 30 }),
  })
  .openapi("SocketTicket", {
    example: { ticket: "NU1W-rxPUSTkh0FRfOl5JJJC7reVgzQlbMwvK7T7ti8", expiresIn: 30 },
  });

export const VerifyBody = z
  .object({ token: z.string().min(1, "is required").max(4096) })
  .openapi("Verify", { example: { token: examples.accessToken } });

export const VerifyResultSchema = z
  .object({
    valid: z.literal(true),
    userId: z.string(),
    expiresAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("VerifyResult", { example: { valid: true, userId: examples.userId, expiresAt: examples.time } });

export type AuthResult = z.infer<typeof AuthResultSchema>;
export type CookieAuthResult = z.infer<typeof CookieAuthResultSchema>;
