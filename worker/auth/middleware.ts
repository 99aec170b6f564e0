import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { unauthorized } from "../http/errors";
import { assertSessionLive } from "./session-check";
import { verifyAccessToken } from "./tokens";

export type AuthenticatedUser = { id: string; sessionId: string; tokenExpiresAt: Date };

/** The bearer token of an `Authorization` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Refuses the request with 401 unless it carries a valid access token of a session that has not
 * ended (see ./session-check.ts); puts the caller on `c.var.user`.
 */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header("Authorization"));
  if (!token) throw unauthorized("Send an access token as `Authorization: Bearer <token>`.");
  const claims = await verifyAccessToken(c.env, token);
  await assertSessionLive(c.env, claims);
  c.set("user", { id: claims.userId, sessionId: claims.sessionId, tokenExpiresAt: claims.expiresAt });
  await next();
});
