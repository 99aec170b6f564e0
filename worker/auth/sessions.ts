import { and, eq, gt, inArray, isNull, ne } from "drizzle-orm";
import type { Database } from "../db/client";
import { refreshTokens, sessions } from "../db/schema";
import { unauthorized } from "../http/errors";
import { toBase64Url } from "./base64url";

// Refresh tokens: 256 random bits, handed to the client once and stored only as a SHA-256 hash.
// Each use spends the token and issues its successor in the same session (family). Presenting a spent
// token again means two parties hold it (a thief and the owner): the whole family is revoked.

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

function newRefreshToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export type IssuedSession = { userId: string; sessionId: string; refreshToken: string };

/** A new sign-in: a new family with its first refresh token. */
export async function startSession(db: Database, userId: string): Promise<IssuedSession> {
  const sessionId = crypto.randomUUID();
  const refreshToken = newRefreshToken();
  const now = Date.now();
  await db.batch([
    db.insert(sessions).values({ id: sessionId, userId, createdAt: new Date(now) }),
    db.insert(refreshTokens).values({
      tokenHash: await hashToken(refreshToken),
      sessionId,
      expiresAt: new Date(now + REFRESH_TOKEN_TTL_MS),
    }),
  ]);
  return { userId, sessionId, refreshToken };
}

export type EndedSession = { userId: string; sessionId: string };

/**
 * Spends `presented` and returns its successor; a reused token revokes its family, and `onReuse`
 * hears which session that was (its sockets must close).
 */
export async function rotateRefreshToken(
  db: Database,
  presented: string,
  onReuse: (ended: EndedSession) => Promise<void> = async () => {},
): Promise<IssuedSession> {
  const tokenHash = await hashToken(presented);
  const now = new Date();
  const liveSessions = db.select({ id: sessions.id }).from(sessions).where(isNull(sessions.revokedAt));
  // One conditional UPDATE decides who spends the token: of two concurrent uses, exactly one wins
  // and the other is treated as a reuse.
  const [spent] = await db
    .update(refreshTokens)
    .set({ spentAt: now })
    .where(
      and(
        eq(refreshTokens.tokenHash, tokenHash),
        isNull(refreshTokens.spentAt),
        gt(refreshTokens.expiresAt, now),
        inArray(refreshTokens.sessionId, liveSessions),
      ),
    )
    .returning({ sessionId: refreshTokens.sessionId });

  if (!spent) {
    const known = await db.query.refreshTokens.findFirst({ where: eq(refreshTokens.tokenHash, tokenHash) });
    if (known?.spentAt) {
      const ended = await revokeSession(db, known.sessionId);
      if (ended) await onReuse(ended);
    }
    throw unauthorized("The refresh token is invalid, expired or already used.");
  }

  const session = await db.query.sessions.findFirst({ where: eq(sessions.id, spent.sessionId) });
  if (!session) throw unauthorized("The refresh token is invalid, expired or already used.");
  const refreshToken = newRefreshToken();
  await db.insert(refreshTokens).values({
    tokenHash: await hashToken(refreshToken),
    sessionId: session.id,
    expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_MS),
  });
  return { userId: session.userId, sessionId: session.id, refreshToken };
}

/** Revokes a session; returns it if it was live until now. */
export async function revokeSession(db: Database, sessionId: string): Promise<EndedSession | null> {
  const [ended] = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ userId: sessions.userId, sessionId: sessions.id });
  return ended ?? null;
}

/**
 * Sign out: the family of `presented` stops working. Unknown tokens are ignored (logout is
 * idempotent). Returns the session that ended now, if any.
 */
export async function endSession(db: Database, presented: string): Promise<EndedSession | null> {
  const known = await db.query.refreshTokens.findFirst({
    where: eq(refreshTokens.tokenHash, await hashToken(presented)),
  });
  return known ? revokeSession(db, known.sessionId) : null;
}

/** After a password change: every sign-in but the current one ends. */
export async function revokeOtherSessions(
  db: Database,
  userId: string,
  keepSessionId: string,
): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId), isNull(sessions.revokedAt)));
}
