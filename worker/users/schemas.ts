import { z } from "@hono/zod-openapi";
import { shownName, text } from "../http/text";

export const Username = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, "must be 3 to 32 of a-z A-Z 0-9 _ . -")
  .openapi({ example: "alice" });
export const Password = text(8, 128).openapi({ example: "correct horse battery" });
export const DisplayName = shownName(1, 64).openapi({ example: "Alice Liddell" });
export const Bio = text(0, 500).openapi({ example: "Curiouser and curiouser." });
const Timestamp = z.string().openapi({ format: "date-time", example: "2026-11-21T15:40:00.000Z" });
const UserId = z.string().openapi({ example: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55" });

export const OwnProfileSchema = z
  .object({
    id: UserId,
    username: z.string(),
    displayName: z.string(),
    bio: z.string(),
    createdAt: Timestamp,
  })
  .openapi("OwnProfile");

export const PublicProfileSchema = z
  .object({
    id: UserId,
    username: z.string(),
    displayName: z.string(),
    bio: z.string(),
    online: z.boolean(),
    lastSeenAt: Timestamp.nullable(),
  })
  .openapi("PublicProfile");

export const UserListSchema = z.object({ users: PublicProfileSchema.array() }).openapi("UserList");

export type OwnProfile = z.infer<typeof OwnProfileSchema>;
export type PublicProfile = z.infer<typeof PublicProfileSchema>;

export const UpdateProfileBody = z
  .object({ displayName: DisplayName.optional(), bio: Bio.optional() })
  .openapi("UpdateProfile");

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1, "is required"), newPassword: Password })
  .openapi("ChangePassword");

export const DeleteAccountBody = z
  .object({
    password: z.string().min(1, "is required").max(128).openapi({ example: "correct horse battery" }),
  })
  .openapi("DeleteAccount");

export const UserSearchQuery = z.object({
  q: z.string().max(32, "must be at most 32 characters").optional().openapi({ example: "al" }),
  limit: z.coerce
    .number()
    .int("must be a whole number")
    .min(1, "must be 1 to 50")
    .max(50, "must be 1 to 50")
    .default(20)
    .openapi({ example: 20 }),
});

export const UserIdParams = z.object({ userId: UserId.openapi({ param: { name: "userId", in: "path" } }) });
