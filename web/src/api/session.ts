import { hc } from "hono/client";
import type { AppType } from "../../../worker/app";
import { answer, done } from "./answers";
import type { OwnProfile } from "./types";

// The signed-in session, kept as API.md's safety rules ask of a page: the access token in memory
// only (a script injected into the page finds nothing in storage to carry away), the refresh token in
// an HttpOnly cookie the page never sees, which the browser sends to /api/auth only (we ask for it
// with useCookie). A reload signs back in by refreshing with that cookie (restoreSession). The access
// token is refreshed shortly before it expires. Refresh tokens rotate on every use, so tabs must not
// race: a Web Lock serialises refreshes across tabs (the cookie jar is shared, so each tab then
// presents the newest one; the server also forgives a retry of the same refresh within 30 s).

const REFRESH_MARGIN_MS = 60_000;
// Not a credential: only whether this browser signed in, so a first visit does not ask for a
// refresh it cannot have (a refused call would show as an error in the console).
const SIGNED_IN_HINT = "hubbub.signedIn";

export type Session = { user: OwnProfile; accessToken: string; expiresAt: number };

type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();
let current: Session | null = null;
let refreshing: Promise<Session | null> | null = null;

function store(session: Session | null): void {
  current = session;
  try {
    if (session) localStorage.setItem(SIGNED_IN_HINT, "1");
    else localStorage.removeItem(SIGNED_IN_HINT);
  } catch {
    // Storage may be off (private mode): the hint only saves a call.
  }
  for (const listener of listeners) listener(session);
}

export function currentSession(): Session | null {
  return current;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function updateUser(user: OwnProfile): void {
  if (current) store({ ...current, user });
}

export class AuthFailure extends Error {}

/** What the page keeps of a token answer (its refresh token, if any, went into the cookie). */
function fromTokenAnswer(result: { user: OwnProfile; accessToken: string; expiresIn: number }): Session {
  return {
    user: result.user,
    accessToken: result.accessToken,
    expiresAt: Date.now() + result.expiresIn * 1000,
  };
}

// The auth routes take no access token (they hand them out), so they have a client of their own.
const auth = hc<AppType>("/").api.auth;

/** Signs in or up; throws an ApiError with the server's message on failure. */
export async function authenticate(
  mode: "login" | "register",
  fields: { username: string; password: string; displayName?: string },
): Promise<Session> {
  const result = await answer(auth[mode].$post({ json: { ...fields, useCookie: true } }));
  const session = fromTokenAnswer(result);
  store(session);
  return session;
}

/** The seeded demo people the server lets anyone continue as (local demos), or none. */
export async function demoPeople(): Promise<{ username: string; displayName: string }[]> {
  const response = await auth.demo.$get();
  // 404: demo sign-in is off (the default, and always in production).
  if (!response.ok) return [];
  return (await response.json()).users;
}

/** "Continue as Alice": signs in as a seeded demo person, no password (only where the server allows it). */
export async function signInAsDemo(username: "alice" | "bob" | "carol"): Promise<Session> {
  const session = fromTokenAnswer(await answer(auth.demo.$post({ json: { username, useCookie: true } })));
  store(session);
  return session;
}

export async function signOut(): Promise<void> {
  store(null);
  // The cookie goes with the call; the server ends the session and clears the cookie.
  await done(auth.logout.$post({ json: {} })).catch(() => undefined);
}

/** The account is gone (deleted): forget it here too; its cookie no longer works. */
export function forgetSession(): void {
  store(null);
}

async function refreshNow(): Promise<Session | null> {
  const run = async () => {
    const response = await auth.refresh.$post({ json: {} });
    // 401: the session ended (signed out elsewhere, password changed); 400: no cookie at all.
    if (response.status === 401 || response.status === 400) {
      store(null);
      return null;
    }
    if (!response.ok) throw new Error(`refresh failed: HTTP ${response.status}`);
    const session = fromTokenAnswer(await response.json());
    store(session);
    return session;
  };
  return navigator.locks ? navigator.locks.request("hubbub-refresh", run) : run();
}

function refreshOnce(): Promise<Session | null> {
  refreshing ??= refreshNow().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

// Earlier versions of this page kept both tokens in localStorage under this key. A copy of them
// must stop working, so that session is ended and the key removed: the person signs in once more.
const LEGACY_KEY = "hubbub.session";

async function endLegacySession(): Promise<void> {
  let refreshToken: unknown;
  try {
    const raw = localStorage.getItem(LEGACY_KEY);
    if (raw === null) return;
    localStorage.removeItem(LEGACY_KEY);
    refreshToken = (JSON.parse(raw) as { refreshToken?: unknown }).refreshToken;
  } catch {
    return;
  }
  if (typeof refreshToken === "string" && refreshToken)
    await done(auth.logout.$post({ json: { refreshToken } })).catch(() => undefined);
}

/**
 * At start: signs back in with the refresh cookie, if this browser has one. Resolves to the
 * session, or null (the sign-in screen). While the browser is offline it waits for the network.
 */
export async function restoreSession(): Promise<Session | null> {
  await endLegacySession();
  let hinted = true;
  try {
    hinted = localStorage.getItem(SIGNED_IN_HINT) !== null;
  } catch {
    // No storage: ask the server.
  }
  if (!hinted) {
    store(null);
    return null;
  }
  for (;;) {
    try {
      return await refreshOnce();
    } catch {
      // Offline (an app started from its cached shell): the cookie may well be good, so wait for
      // the network rather than sign out. A server that answers with an error counts as signed out.
      if (navigator.onLine) {
        store(null);
        return null;
      }
      await new Promise((resolve) => window.addEventListener("online", resolve, { once: true }));
    }
  }
}

/**
 * A usable access token: refreshed first if it expires within a minute (one refresh at a time).
 * Throws AuthFailure when the session is over (the caller shows the sign-in screen).
 */
export async function accessToken(): Promise<string> {
  if (!current) throw new AuthFailure("Signed out.");
  if (current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return current.accessToken;
  const session = await refreshOnce();
  if (!session) throw new AuthFailure("Your session has ended. Please sign in again.");
  return session.accessToken;
}

/**
 * The token was refused (a 401 from the API, or a socket closed with 4001): refresh whatever its
 * expiry says. If the session itself has ended, the refresh fails and the page signs out.
 */
export async function forceRefresh(): Promise<string> {
  if (current) current = { ...current, expiresAt: 0 };
  return accessToken();
}

/** Marks the access token as used up, so the next call or connect refreshes it first. */
export function tokenRefused(): void {
  if (current) current = { ...current, expiresAt: 0 };
}
