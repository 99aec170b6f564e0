import { z } from "@hono/zod-openapi";
import { DisplayName, OwnProfileSchema, Password, Username } from "../users/schemas";

export const RegisterBody = z
  .object({ username: Username, password: Password, displayName: DisplayName.optional() })
  .openapi("Register");

// Sign-in does not apply the sign-up rules: a malformed name simply does not match anyone (401).
export const LoginBody = z
  .object({
    username: z.string().min(1, "is required").max(128).openapi({ example: "alice" }),
    password: z.string().min(1, "is required").max(128).openapi({ example: "correct horse battery" }),
  })
  .openapi("Login");

const RefreshToken = z.string().min(1, "is required").max(256).openapi({ example: "kq3V9m…" });

export const RefreshBody = z.object({ refreshToken: RefreshToken }).openapi("Refresh");

export const AuthResultSchema = z
  .object({
    user: OwnProfileSchema,
    accessToken: z.string().openapi({ example: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…" }),
    refreshToken: RefreshToken,
    expiresIn: z.number().int().openapi({ description: "Access token lifetime in seconds.", example: 900 }),
  })
  .openapi("AuthResult");

export const VerifyBody = z.object({ token: z.string().min(1, "is required").max(4096) }).openapi("Verify");

export const VerifyResultSchema = z
  .object({
    valid: z.literal(true),
    userId: z.string(),
    expiresAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("VerifyResult");

export type AuthResult = z.infer<typeof AuthResultSchema>;
