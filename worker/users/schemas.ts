import { z } from "@hono/zod-openapi";
import { examples } from "../http/openapi";
import { shownName, text } from "../http/text";

// The pattern already bounds the length; minLength and maxLength say it where readers and tools look.
export const Username = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, "must be 3 to 32 of a-z A-Z 0-9 _ . -")
  .openapi({ minLength: 3, maxLength: 32, example: "alice" });
export const Password = text(8, 128).openapi({ example: "correct horse battery" });
export const DisplayName = shownName(1, 64).openapi({ example: "Alice Liddell" });
export const Bio = text(0, 500).openapi({ example: "Curiouser and curiouser." });
const Timestamp = z.string().openapi({ format: "date-time", example: examples.time });
const UserId = z.string().openapi({ example: examples.userId });
const AvatarUrl = z.string().nullable().openapi({
  description: "Their avatar (PUT /api/users/me/avatar), or null: show their initials.",
  example: null,
});

export const ownProfileExample = {
  id: examples.userId,
  username: "alice",
  displayName: "Alice Liddell",
  bio: "Curiouser and curiouser.",
  createdAt: examples.time,
  avatarUrl: null,
};

export const OwnProfileSchema = z
  .object({
    id: UserId,
    username: z.string(),
    displayName: z.string(),
    bio: z.string(),
    createdAt: Timestamp,
    avatarUrl: AvatarUrl,
  })
  .openapi("OwnProfile", { example: ownProfileExample });

const publicProfileExample = {
  id: examples.userId,
  username: "alice",
  displayName: "Alice Liddell",
  bio: "Curiouser and curiouser.",
  online: false,
  lastSeenAt: examples.time,
  avatarUrl: null,
};

export const PublicProfileSchema = z
  .object({
    id: UserId,
    username: z.string(),
    displayName: z.string(),
    bio: z.string(),
    online: z.boolean(),
    lastSeenAt: Timestamp.nullable(),
    avatarUrl: AvatarUrl,
  })
  .openapi("PublicProfile", { example: publicProfileExample });

export const UserListSchema = z
  .object({ users: PublicProfileSchema.array() })
  .openapi("UserList", { example: { users: [publicProfileExample] } });

export type OwnProfile = z.infer<typeof OwnProfileSchema>;
export type PublicProfile = z.infer<typeof PublicProfileSchema>;

export const UpdateProfileBody = z
  .object({ displayName: DisplayName.optional(), bio: Bio.optional() })
  .openapi("UpdateProfile", { example: { displayName: "Alice Liddell", bio: "Curiouser and curiouser." } });

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1, "is required"), newPassword: Password })
  .openapi("ChangePassword", {
    example: { currentPassword: "correct horse battery", newPassword: "an even better password" },
  });

export const DeleteAccountBody = z
  .object({
    password: z.string().min(1, "is required").max(128).openapi({ example: "correct horse battery" }),
  })
  .openapi("DeleteAccount", { example: { password: "correct horse battery" } });

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
