import { and, eq, gt, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { refreshTokens, sessions } from "../db/schema";
import { unauthorized } from "../http/errors";
import { numberSetting } from "../limits/rules";
import { toBase64Url } from "./base64url";
import type { TokenSecrets } from "./tokens";

// Refresh tokens: 256 random bits, handed to the client once and stored only as a SHA-256 hash.
// Each use spends the token and issues its successor in the same session (family). Presenting a spent
// token again means two parties hold it (a thief and the owner): the whole family is revoked.
//
// Except for a retry. A client whose refresh answer was lost (a dropped connection, a tab that was
// closed mid-request, two tabs refreshing at once) presents the same token again a moment later;
// revoking its session then would sign honest people out. So a token's successor is not random but
// derived from it with a server key (HMAC-SHA-256 under JWT_SECRET): a retry within
// REFRESH_RETRY_GRACE_S (30 s) of the first use, while that successor is still unused, gets the very
// same successor back, and the family still has exactly one live token. A spent token presented
// after the grace window, or once its successor has been used (it is then an older token of the
// family), is a reuse: the family is revoked and its sockets closed. Nobody can compute a successor
// from a stolen token without the key, so a thief cannot skip ahead of the reuse detection.
//
// The successor is written in the same D1 batch (one transaction) as the spend of its predecessor:
// there is never a moment in which the old token is spent and the new one does not exist.

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

function newRefreshToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The successor of a refresh token under one secret: HMAC-SHA-256(secret, label ‖ token). */
async function successorUnder(secret: string, presented: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`hubbub refresh successor\0${presented}`));
  return toBase64Url(new Uint8Array(mac));
}

/** The successors the presented token may have had: under JWT_SECRET, then (mid-rotation) the previous one. */
async function successorsOf(secrets: TokenSecrets, presented: string): Promise<string[]> {
  const keys = [secrets.JWT_SECRET, secrets.JWT_SECRET_PREVIOUS].filter(
    (secret): secret is string => !!secret,
  );
  return Promise.all(keys.map((secret) => successorUnder(secret, presented)));
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

const spentOrInvalid = () => unauthorized("The refresh token is invalid, expired or already used.");

function liveSessions(db: Database) {
  return db.select({ id: sessions.id }).from(sessions).where(isNull(sessions.revokedAt));
}

/**
 * Spends `presented` and returns its successor (the same one again for a retry within the grace
 * window); a reused token revokes its family, and `onReuse` hears which session that was (its
 * sockets must close).
 */
export async function rotateRefreshToken(
  db: Database,
  env: TokenSecrets & { REFRESH_RETRY_GRACE_S?: string },
  presented: string,
  onReuse: (ended: EndedSession) => Promise<void> = async () => {},
): Promise<IssuedSession> {
  const tokenHash = await hashToken(presented);
  const [successor = ""] = await successorsOf(env, presented);
  const successorHash = await hashToken(successor);
  const now = new Date();
  // One batch: the conditional UPDATE decides who spends the token (of two concurrent uses exactly
  // one matches), and the INSERT writes the successor only where that UPDATE just spent it.
  const [spent] = await db.batch([
    db
      .update(refreshTokens)
      .set({ spentAt: now, successorHash })
      .where(
        and(
          eq(refreshTokens.tokenHash, tokenHash),
          isNull(refreshTokens.spentAt),
          gt(refreshTokens.expiresAt, now),
          inArray(refreshTokens.sessionId, liveSessions(db)),
        ),
      )
      .returning({ sessionId: refreshTokens.sessionId }),
    db
      .insert(refreshTokens)
      .select(
        db
          .select({
            tokenHash: sql<string>`${successorHash}`.as("token_hash"),
            sessionId: refreshTokens.sessionId,
            expiresAt: sql<number>`${now.getTime() + REFRESH_TOKEN_TTL_MS}`.as("expires_at"),
            spentAt: sql<null>`NULL`.as("spent_at"),
            successorHash: sql<null>`NULL`.as("successor_hash"),
          })
          .from(refreshTokens)
          .where(
            and(
              eq(refreshTokens.tokenHash, tokenHash),
              eq(refreshTokens.spentAt, now),
              eq(refreshTokens.successorHash, successorHash),
            ),
          ),
      )
      .onConflictDoNothing(),
  ]);
  const spentIn = spent[0]?.sessionId;
  if (spentIn) return issued(db, spentIn, successor);
  return retryOrReuse(db, env, presented, tokenHash, onReuse);
}

async function issued(db: Database, sessionId: string, refreshToken: string): Promise<IssuedSession> {
  const session = await db.query.sessions.findFirst({ where: eq(sessions.id, sessionId) });
  if (!session || session.revokedAt) throw spentOrInvalid();
  return { userId: session.userId, sessionId, refreshToken };
}

/** The token was not spent now: a retry within the grace window gets its successor again; else a reuse. */
async function retryOrReuse(
  db: Database,
  env: TokenSecrets & { REFRESH_RETRY_GRACE_S?: string },
  presented: string,
  tokenHash: string,
  onReuse: (ended: EndedSession) => Promise<void>,
): Promise<IssuedSession> {
  const known = await db.query.refreshTokens.findFirst({ where: eq(refreshTokens.tokenHash, tokenHash) });
  // Unknown, expired, or of a session that ended: refused, and there is nothing left to revoke.
  if (!known?.spentAt) throw spentOrInvalid();
  const graceMs = numberSetting(env.REFRESH_RETRY_GRACE_S, 30) * 1000;
  if (known.successorHash && Date.now() - known.spentAt.getTime() <= graceMs) {
    for (const candidate of await successorsOf(env, presented)) {
      if ((await hashToken(candidate)) !== known.successorHash) continue;
      const next = await db.query.refreshTokens.findFirst({
        where: eq(refreshTokens.tokenHash, known.successorHash),
      });
      if (next && next.spentAt === null && next.expiresAt.getTime() > Date.now())
        return issued(db, known.sessionId, candidate);
    }
  }
  const ended = await revokeSession(db, known.sessionId);
  if (ended) await onReuse(ended);
  throw spentOrInvalid();
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

/** The session a refresh token belongs to, if it is known (spent or not). */
async function sessionOfToken(db: Database, presented: string): Promise<string | null> {
  const known = await db.query.refreshTokens.findFirst({
    where: eq(refreshTokens.tokenHash, await hashToken(presented)),
  });
  return known?.sessionId ?? null;
}

/**
 * Sign out: the family of `presented` stops working. Unknown tokens are ignored (logout is
 * idempotent). Returns the session that ended now, if any.
 */
export async function endSession(db: Database, presented: string): Promise<EndedSession | null> {
  const sessionId = await sessionOfToken(db, presented);
  return sessionId ? revokeSession(db, sessionId) : null;
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

/** The statement that ends every sign-in of a user (an account deletion batches it with the rest). */
export function revokeAllSessions(db: Database, userId: string) {
  return db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
