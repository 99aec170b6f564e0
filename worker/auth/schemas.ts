import { z } from "@hono/zod-openapi";
import { DisplayName, OwnProfileSchema, Password, Username } from "../users/schemas";

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
  .openapi("Register");

// Sign-in does not apply the sign-up rules: a malformed name simply does not match anyone (401).
export const LoginBody = z
  .object({
    username: z.string().min(1, "is required").max(128).openapi({ example: "alice" }),
    password: z.string().min(1, "is required").max(128).openapi({ example: "correct horse battery" }),
    useCookie: UseCookie,
  })
  .openapi("Login");

const RefreshToken = z.string().min(1, "is required").max(256).openapi({ example: "kq3V9m…" });

export const RefreshBody = z
  .object({
    refreshToken: RefreshToken.optional().openapi({
      description: "The refresh token; leave it out to use the cookie that useCookie set.",
    }),
  })
  .openapi("Refresh");

export const AuthResultSchema = z
  .object({
    user: OwnProfileSchema,
    accessToken: z.string().openapi({ example: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…" }),
    refreshToken: RefreshToken,
    expiresIn: z.number().int().openapi({ description: "Access token lifetime in seconds.", example: 900 }),
  })
  .openapi("AuthResult");

/** The answer when the refresh token went into the cookie (useCookie, or a refresh by cookie). */
export const CookieAuthResultSchema = AuthResultSchema.omit({ refreshToken: true }).openapi(
  "CookieAuthResult",
);

export const TicketSchema = z
  .object({
    ticket: z.string().openapi({ example: "Yx3k…" }),
    expiresIn: z
      .number()
      .int()
      .openapi({ description: "Seconds the ticket stays valid (at most 60).", example: 30 }),
  })
  .openapi("SocketTicket");

export const VerifyBody = z.object({ token: z.string().min(1, "is required").max(4096) }).openapi("Verify");

export const VerifyResultSchema = z
  .object({
    valid: z.literal(true),
    userId: z.string(),
    expiresAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("VerifyResult");

export type AuthResult = z.infer<typeof AuthResultSchema>;
export type CookieAuthResult = z.infer<typeof CookieAuthResultSchema>;
