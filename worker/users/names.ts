import { and, eq, isNotNull, lte } from "drizzle-orm";
import type { Database } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { users } from "../db/schema";
import { conflict } from "../http/errors";
import type { User } from "./user";

// Claiming a username at sign-up. Two unique indexes decide, so two sign-ups racing for one name (or
// for two names that look alike) cannot both win: username_key (the name, case folded) and
// lookalike_key (see ./lookalike.ts). A deleted account holds its look-alike key for
// NAME_HOLD_DAYS, so nobody can take over a name the moment its owner leaves; after that the next
// sign-up that wants it frees it.

export const NAME_HOLD_DAYS = 30;
const NAME_HOLD_MS = NAME_HOLD_DAYS * 24 * 60 * 60 * 1000;

/** Frees a look-alike key still held by an account deleted more than NAME_HOLD_DAYS ago. */
async function freeExpiredHold(db: Database, lookalikeKey: string): Promise<boolean> {
  const freed = await db
    .update(users)
    .set({ lookalikeKey: null })
    .where(
      and(
        eq(users.lookalikeKey, lookalikeKey),
        isNotNull(users.deletedAt),
        lte(users.deletedAt, new Date(Date.now() - NAME_HOLD_MS)),
      ),
    )
    .returning({ id: users.id });
  return freed.length > 0;
}

/** Why the name cannot be had: taken as it is, or too close to one that is. */
async function refusal(db: Database, user: User) {
  const [same] = await db.select({ id: users.id }).from(users).where(eq(users.usernameKey, user.usernameKey));
  return conflict(
    same
      ? `The username "${user.username}" is taken.`
      : `The username "${user.username}" is too similar to an existing username.`,
  );
}

/** Inserts a new account, or throws 409 `conflict` if its name (or a look-alike) is taken. */
export async function insertAccount(db: Database, user: User): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.insert(users).values(user);
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const retry =
        attempt === 1 && user.lookalikeKey !== null && (await freeExpiredHold(db, user.lookalikeKey));
      if (!retry) throw await refusal(db, user);
    }
  }
}
