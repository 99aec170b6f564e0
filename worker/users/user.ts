import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { users } from "../db/schema";
import { unauthorized } from "../http/errors";
import { avatarUrl } from "../media/keys";
import type { OwnProfile, PublicProfile } from "./schemas";

export type User = typeof users.$inferSelect;

/** Usernames compare without regard to case. */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function ownProfile(user: User): OwnProfile {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    createdAt: user.createdAt.toISOString(),
    avatarUrl: avatarUrl(user.avatarKey),
  };
}

export function publicProfile(user: User): PublicProfile {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    online: user.online,
    lastSeenAt: user.lastSeenAt?.toISOString() ?? null,
    avatarUrl: avatarUrl(user.avatarKey),
  };
}

/** The signed-in caller's row. A valid token for an account that is gone is treated as signed out. */
export async function currentUser(db: Database, userId: string): Promise<User> {
  const user = await db.query.users.findFirst({ where: eq(users.id, userId) });
  if (!user) throw unauthorized("This account no longer exists.");
  return user;
}
