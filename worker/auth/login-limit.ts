import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "../db/client";
import { loginFailures } from "../db/schema";
import { rateLimited } from "../http/errors";

// Repeated wrong passwords for one username are refused for a while. The count lives in D1, not in
// a JS variable: a Worker has many isolates and any of them may be evicted at any moment.

export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;

/** Throws 429 with Retry-After while `usernameKey` has MAX_FAILURES failures inside the window. */
export async function assertLoginAllowed(db: Database, usernameKey: string): Promise<void> {
  const recent = await db
    .select({ failedAt: loginFailures.failedAt })
    .from(loginFailures)
    .where(eq(loginFailures.usernameKey, usernameKey))
    .orderBy(desc(loginFailures.failedAt))
    .limit(MAX_FAILURES);
  const oldest = recent[MAX_FAILURES - 1];
  if (!oldest) return;
  const unblockedAt = oldest.failedAt.getTime() + FAILURE_WINDOW_MS;
  const waitMs = unblockedAt - Date.now();
  if (waitMs > 0) {
    throw rateLimited("Too many failed sign-in attempts. Try again later.", Math.ceil(waitMs / 1000));
  }
}

export async function recordLoginFailure(db: Database, usernameKey: string): Promise<void> {
  const now = Date.now();
  await db.batch([
    db.insert(loginFailures).values({ usernameKey, failedAt: new Date(now) }),
    // Keep the table small: what is outside the window no longer counts.
    db
      .delete(loginFailures)
      .where(
        and(
          eq(loginFailures.usernameKey, usernameKey),
          lt(loginFailures.failedAt, new Date(now - FAILURE_WINDOW_MS)),
        ),
      ),
  ]);
}

export async function clearLoginFailures(db: Database, usernameKey: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.usernameKey, usernameKey));
}
