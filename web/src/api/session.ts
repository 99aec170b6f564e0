import { hc } from "hono/client";
import type { AppType } from "../../../worker/app";
import { answer, done } from "./answers";
import type { AuthResult, OwnProfile } from "./types";

// The signed-in session: tokens kept in localStorage so a reload stays signed in. The access token
// is refreshed shortly before it expires. Refresh tokens rotate on every use and a reused one ends
// the session, so tabs must not race: a Web Lock serialises refreshes across tabs, and a tab that
// finds a newer token already stored (another tab refreshed) uses that one instead.

const STORAGE_KEY = "hubbub.session";
const REFRESH_MARGIN_MS = 60_000;

export type Session = { user: OwnProfile; accessToken: string; refreshToken: string; expiresAt: number };

type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();
let current: Session | null = load();
let refreshing: Promise<Session | null> | null = null;

function load(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function store(session: Session | null): void {
  current = session;
  if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(STORAGE_KEY);
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

function fromAuthResult(result: AuthResult): Session {
  return {
    user: result.user,
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
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
  const result = await answer(auth[mode].$post({ json: fields }));
  const session = fromAuthResult(result);
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
  const session = fromAuthResult(await answer(auth.demo.$post({ json: { username } })));
  store(session);
  return session;
}

export async function signOut(): Promise<void> {
  const session = current;
  store(null);
  if (session)
    await done(auth.logout.$post({ json: { refreshToken: session.refreshToken } })).catch(() => undefined);
}

async function refreshNow(): Promise<Session | null> {
  const run = async () => {
    const latest = load();
    // Another tab refreshed while we waited for the lock: its token is the live one.
    if (
      latest &&
      current &&
      latest.refreshToken !== current.refreshToken &&
      latest.expiresAt - Date.now() > REFRESH_MARGIN_MS
    ) {
      current = latest;
      return latest;
    }
    const presented = latest ?? current;
    if (!presented) return null;
    const response = await auth.refresh.$post({ json: { refreshToken: presented.refreshToken } });
    if (response.status === 401) {
      store(null);
      return null;
    }
    if (!response.ok) throw new Error(`refresh failed: HTTP ${response.status}`);
    const session = fromAuthResult(await response.json());
    store(session);
    return session;
  };
  return navigator.locks ? navigator.locks.request("hubbub-refresh", run) : run();
}

/**
 * A usable access token: refreshed first if it expires within a minute (one refresh at a time).
 * Throws AuthFailure when the session is over (the caller shows the sign-in screen).
 */
export async function accessToken(): Promise<string> {
  if (!current) throw new AuthFailure("Signed out.");
  if (current.expiresAt - Date.now() > REFRESH_MARGIN_MS) return current.accessToken;
  refreshing ??= refreshNow().finally(() => {
    refreshing = null;
  });
  const session = await refreshing;
  if (!session) throw new AuthFailure("Your session has ended. Please sign in again.");
  return session.accessToken;
}

/** After a 401 from the API: the token was refused, so refresh whatever its expiry says. */
export async function forceRefresh(): Promise<string> {
  if (current) current = { ...current, expiresAt: 0 };
  return accessToken();
}
