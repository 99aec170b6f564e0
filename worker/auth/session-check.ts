import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { sessions } from "../db/schema";
import { unauthorized } from "../http/errors";
import { numberSetting } from "../limits/rules";
import type { SessionMatch } from "../sockets/sessions";

// An access token is a signed promise that its session was live when it was issued. Sessions end
// (logout, a password change, a reused refresh token, account deletion) long before their access
// tokens expire, so every request also asks whether the token's session is still live: but not D1
// every time. Each isolate remembers the answer for SESSION_CHECK_TTL_S (30 s, at most 60), so an
// ended session's tokens stop working everywhere within that time, and a busy client costs one D1
// query per isolate per TTL instead of one per request (test/worker/session-end.test.ts counts them).
// The isolate that ends a session learns it at once (see endSessionsEverywhere), and an ended session
// is remembered as ended: sessions never come back.
//
// Socket upgrades trust a cached answer for at most SOCKET_CHECK_MAX_AGE_MS (5 s): a socket outlives
// the request that opened it, and one accepted after its session's end was fanned out would stay open
// until its token expired; but a client that opens several sockets at once (a room list, a reconnect)
// costs one query, not one per socket.

const MAX_TTL_MS = 60_000;
export const SOCKET_CHECK_MAX_AGE_MS = 5_000;
const MAX_ENTRIES = 10_000;

type Entry = { userId: string; live: boolean; checkedAt: number };

const known = new Map<string, Entry>();
const asking = new Map<string, Promise<boolean>>();

/** How long an answer is trusted: SESSION_CHECK_TTL_S, never more than 60 s. */
export function sessionCheckTtlMs(env: { SESSION_CHECK_TTL_S?: string }): number {
  return Math.min(MAX_TTL_MS, numberSetting(env.SESSION_CHECK_TTL_S, 30) * 1000);
}

function remember(sessionId: string, entry: Entry): void {
  known.delete(sessionId);
  known.set(sessionId, entry);
  // The oldest answers go first (a Map keeps insertion order).
  for (const oldest of known.keys()) {
    if (known.size <= MAX_ENTRIES) break;
    known.delete(oldest);
  }
}

async function liveInD1(env: Env, sessionId: string, userId: string): Promise<boolean> {
  const [row] = await database(env.DB)
    .select({ userId: sessions.userId, revokedAt: sessions.revokedAt })
    .from(sessions)
    .where(eq(sessions.id, sessionId));
  const live = row !== undefined && row.userId === userId && row.revokedAt === null;
  remember(sessionId, { userId, live, checkedAt: Date.now() });
  return live;
}

/**
 * Throws 401 unless the token's session is live, as this isolate knew it within the TTL (within
 * SOCKET_CHECK_MAX_AGE_MS for a socket upgrade), or as D1 says now.
 */
export async function assertSessionLive(
  env: Env,
  claims: { userId: string; sessionId: string },
  options: { forSocket?: boolean } = {},
): Promise<void> {
  const { sessionId, userId } = claims;
  const entry = known.get(sessionId);
  const maxAge = options.forSocket
    ? Math.min(SOCKET_CHECK_MAX_AGE_MS, sessionCheckTtlMs(env))
    : sessionCheckTtlMs(env);
  let live: boolean;
  if (entry && entry.userId === userId && (!entry.live || Date.now() - entry.checkedAt < maxAge)) {
    live = entry.live;
  } else {
    // Requests that arrive together for one session share one query.
    let pending = asking.get(sessionId);
    if (!pending) {
      pending = liveInD1(env, sessionId, userId).finally(() => asking.delete(sessionId));
      asking.set(sessionId, pending);
    }
    live = await pending;
  }
  if (!live) throw unauthorized("This session has ended; sign in again.");
}

/** Sessions that just ended here: this isolate refuses their tokens at once. */
export function forgetSessions(userId: string, match: SessionMatch): void {
  if ("sessionIds" in match) {
    for (const sessionId of match.sessionIds)
      remember(sessionId, { userId, live: false, checkedAt: Date.now() });
    return;
  }
  const ended = [...known]
    .filter(
      ([sessionId, entry]) => entry.userId === userId && !("allBut" in match && sessionId === match.allBut),
    )
    .map(([sessionId]) => sessionId);
  for (const sessionId of ended) remember(sessionId, { userId, live: false, checkedAt: Date.now() });
}
