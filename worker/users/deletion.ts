import { eq } from "drizzle-orm";
import { endSessionsEverywhere } from "../auth/session-ends";
import { revokeAllSessions } from "../auth/sessions";
import type { Database } from "../db/client";
import { memberships, rooms, users } from "../db/schema";
import { memberLeaves } from "../rooms/leaving";
import type { User } from "./user";

// Deleting an account (DELETE /api/users/me). The row stays, so that the messages it wrote stay
// attributed to someone: it becomes "Deleted user", with no bio, a username nobody can sign in with
// and a password hash that matches nothing. Its look-alike key keeps the old name from being taken
// for 30 days (./names.ts). Every session ends at once, in D1 and on every socket (4001), and then the
// account leaves every room as a member who leaves would: owned rooms pass to the longest-standing
// admin, else member, and a room left empty is deleted.

export const DELETED_NAME = "Deleted user";

export async function deleteAccount(env: Env, db: Database, user: User): Promise<void> {
  // One batch: the moment the account is gone, none of its sessions is live.
  await db.batch([
    revokeAllSessions(db, user.id),
    db
      .update(users)
      .set({
        username: `deleted-${user.id.slice(0, 8)}`,
        // Contains a ":", which no username can: nobody can sign in as it, or take it.
        usernameKey: `deleted:${user.id}`,
        displayName: DELETED_NAME,
        bio: "",
        passwordHash: "!deleted",
        online: false,
        deletedAt: new Date(),
      })
      .where(eq(users.id, user.id)),
  ]);
  await endSessionsEverywhere(env, user.id, { all: true });
  const joined = await db
    .select({ roomId: memberships.roomId, role: memberships.role, kind: rooms.kind })
    .from(memberships)
    .innerJoin(rooms, eq(rooms.id, memberships.roomId))
    .where(eq(memberships.userId, user.id));
  for (const room of joined) {
    try {
      await memberLeaves(env, db, { ...room, userId: user.id });
    } catch (error) {
      // One room that fails must not keep the account in all the others; it is logged for us.
      console.error("leaving a room on account deletion failed", room.roomId, user.id, error);
    }
  }
}
