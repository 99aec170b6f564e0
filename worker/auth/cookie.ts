import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { REFRESH_TOKEN_TTL_MS } from "./sessions";

// The web client's refresh token lives in a cookie that page scripts cannot read (HttpOnly), that is
// sent only over HTTPS (Secure), never with a request another site starts (SameSite=Strict: no CSRF),
// and only to /api/auth (the refresh and logout calls), never to the rest of the API. A client asks
// for it with {"useCookie": true} on register or login; curl and other clients keep the body flow.
//
// Secure cookies over plain http://127.0.0.1 (wrangler dev): browsers treat localhost and
// 127.0.0.1 as secure contexts. Chromium and Firefox keep Secure cookies there (tested with Chromium
// in test/e2e/cookie-session.test.ts); Safari does not, so use Chromium or Firefox locally, or HTTPS.

export const REFRESH_COOKIE = "hubbub_refresh";
const PATH = "/api/auth";

export function setRefreshCookie(c: Context, refreshToken: string): void {
  setCookie(c, REFRESH_COOKIE, refreshToken, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: PATH,
    maxAge: Math.floor(REFRESH_TOKEN_TTL_MS / 1000),
  });
}

export function refreshCookie(c: Context): string | undefined {
  return getCookie(c, REFRESH_COOKIE) || undefined;
}

export function clearRefreshCookie(c: Context): void {
  deleteCookie(c, REFRESH_COOKIE, { httpOnly: true, secure: true, sameSite: "Strict", path: PATH });
}
