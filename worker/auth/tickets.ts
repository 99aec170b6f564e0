import { and, eq, gt, inArray, isNull, lte } from "drizzle-orm";
import type { Database } from "../db/client";
import { sessions, socketTickets } from "../db/schema";
import { numberSetting } from "../limits/rules";
import { toBase64Url } from "./base64url";
import type { AccessClaims } from "./tokens";

// Socket tickets: a page opens its WebSockets with ?ticket= rather than its access token, so no
// long-lived credential lands in a URL (URLs end up in logs and histories). A ticket is 256 random
// bits, kept only as a hash, lives SOCKET_TICKET_TTL_S (30 s, at most 60) and never past the access
// token that asked for it, and works once: redeeming it is one DELETE … RETURNING, so of two uses
// exactly one gets it. It stands for the person and session of that access token, and a socket
// opened with it carries that token's expiry: it closes with 4001 when the token would have expired,
// as a socket opened with the token itself would.

const MAX_TTL_MS = 60_000;

async function hashTicket(ticket: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(ticket));
  return toBase64Url(new Uint8Array(digest));
}

export type Ticket = { ticket: string; expiresIn: number };

export async function issueTicket(db: Database, env: Env, claims: AccessClaims): Promise<Ticket> {
  const ticket = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const now = Date.now();
  const ttl = Math.min(MAX_TTL_MS, numberSetting(env.SOCKET_TICKET_TTL_S, 30) * 1000);
  const expiresAt = Math.min(now + ttl, claims.expiresAt.getTime());
  await db.batch([
    // Tickets nobody redeemed go when the next one is issued.
    db.delete(socketTickets).where(lte(socketTickets.expiresAt, new Date(now))),
    db.insert(socketTickets).values({
      ticketHash: await hashTicket(ticket),
      userId: claims.userId,
      sessionId: claims.sessionId,
      expiresAt: new Date(expiresAt),
      tokenExpiresAt: claims.expiresAt,
    }),
  ]);
  return { ticket, expiresIn: Math.max(0, Math.floor((expiresAt - now) / 1000)) };
}

/** Spends a ticket: who it stands for, or null if it is unknown, used, expired, or its session ended. */
export async function redeemTicket(db: Database, ticket: string): Promise<AccessClaims | null> {
  const now = new Date();
  const [redeemed] = await db
    .delete(socketTickets)
    .where(
      and(
        eq(socketTickets.ticketHash, await hashTicket(ticket)),
        gt(socketTickets.expiresAt, now),
        inArray(
          socketTickets.sessionId,
          db.select({ id: sessions.id }).from(sessions).where(isNull(sessions.revokedAt)),
        ),
      ),
    )
    .returning({
      userId: socketTickets.userId,
      sessionId: socketTickets.sessionId,
      expiresAt: socketTickets.tokenExpiresAt,
    });
  return redeemed ?? null;
}
