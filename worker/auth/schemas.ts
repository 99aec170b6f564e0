import { z } from "@hono/zod-openapi";
import { examples } from "../http/openapi";
import { DisplayName, OwnProfileSchema, ownProfileExample, Password, Username } from "../users/schemas";

export const RegisterBody = z
  .object({ username: Username, password: Password, displayName: DisplayName.optional() })
  .openapi("Register", {
    example: { username: "alice", password: "correct horse battery", displayName: "Alice Liddell" },
  });

// Sign-in does not apply the sign-up rules: a malformed name simply does not match anyone (401).
export const LoginBody = z
  .object({
    username: z.string().min(1, "is required").max(128).openapi({ example: "alice" }),
    password: z.string().min(1, "is required").max(128).openapi({ example: "correct horse battery" }),
  })
  .openapi("Login", { example: { username: "alice", password: "correct horse battery" } });

const RefreshToken = z.string().min(1, "is required").max(256).openapi({ example: examples.refreshToken });

export const RefreshBody = z
  .object({ refreshToken: RefreshToken })
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
