// Which sockets belong to which sign-in session, for both objects that hold sockets. A socket's
// attachment carries its session and its access token's expiry; a session that ends, or a token
// that expires, ends its sockets with 4001, and the client reconnects with a fresh token.

/** Which sessions end: some by id, all but one (a password change), or all (account deletion). */
export type SessionMatch = { sessionIds: string[] } | { allBut: string } | { all: true };

export function sessionMatches(match: SessionMatch, sessionId: string): boolean {
  if ("all" in match) return true;
  if ("allBut" in match) return sessionId !== match.allBut;
  return match.sessionIds.includes(sessionId);
}

export const SESSION_ENDED = "Your session ended; sign in again.";
export const TOKEN_EXPIRED = "Your access token expired; reconnect with a fresh one.";

/** The earliest token expiry among these sockets, for an alarm. */
export function earliestExpiry(states: { expiresAt: number }[]): number | null {
  let next: number | null = null;
  for (const { expiresAt } of states) if (next === null || expiresAt < next) next = expiresAt;
  return next;
}
