import { env, SELF } from "cloudflare:test";
import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import {
  api,
  closeAllSockets,
  connect,
  createRoom,
  errorOf,
  PASSWORD,
  type SignedIn,
  signUp,
  uniqueName,
  upgrade,
} from "./helpers";

// The web client's flow (API.md "The web client"): the refresh token in an HttpOnly cookie scoped to
// /api/auth, and sockets opened with one-time tickets instead of tokens in the URL.

afterEach(closeAllSockets);

type Answer = { status: number; body: Record<string, unknown> | null; setCookie: string | null };

/** A browser-like call: sends `cookie` if given, and reports the Set-Cookie it got. */
async function browser(path: string, options: { body?: unknown; cookie?: string; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await SELF.fetch(`https://hubbub.test${path}`, {
    method: "POST",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    setCookie: response.headers.get("set-cookie"),
  } satisfies Answer;
}

/** "hubbub_refresh=<value>" from a Set-Cookie header, as a browser would send it back. */
function cookieFrom(setCookie: string | null): string {
  const pair = setCookie?.split(";")[0] ?? "";
  if (!pair.startsWith("hubbub_refresh=")) throw new Error(`no refresh cookie in ${setCookie}`);
  return pair;
}

async function cookieSignIn(): Promise<{ user: SignedIn["user"]; accessToken: string; cookie: string }> {
  const username = uniqueName("web");
  const answer = await browser("/api/auth/register", {
    body: { username, password: PASSWORD, useCookie: true },
  });
  expect(answer.status).toBe(201);
  return {
    user: answer.body?.user as SignedIn["user"],
    accessToken: String(answer.body?.accessToken),
    cookie: cookieFrom(answer.setCookie),
  };
}

describe("the refresh cookie", () => {
  it("is set HttpOnly, Secure, SameSite=Strict for /api/auth, and the token stays out of the body", async () => {
    const username = uniqueName("web");
    const registered = await browser("/api/auth/register", {
      body: { username, password: PASSWORD, useCookie: true },
    });
    expect(registered.body).not.toHaveProperty("refreshToken");
    expect(registered.body).toMatchObject({ accessToken: expect.any(String), expiresIn: 900 });
    const attributes = (registered.setCookie ?? "").split(";").map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(
      expect.arrayContaining(["httponly", "secure", "samesite=strict", "path=/api/auth", "max-age=2592000"]),
    );
    const loggedIn = await browser("/api/auth/login", {
      body: { username, password: PASSWORD, useCookie: true },
    });
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.body).not.toHaveProperty("refreshToken");
    expect(cookieFrom(loggedIn.setCookie)).toMatch(/^hubbub_refresh=[\w-]{43}$/);
  });

  it("is read by refresh when the body has no token, and rotated", async () => {
    const { user, cookie } = await cookieSignIn();
    const refreshed = await browser("/api/auth/refresh", { cookie });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).not.toHaveProperty("refreshToken");
    expect(refreshed.body).toMatchObject({ user: { id: user.id } });
    const next = cookieFrom(refreshed.setCookie);
    expect(next).not.toBe(cookie);
    // Without any body at all, as fetch(url, {method: "POST", credentials}) sends it.
    expect((await browser("/api/auth/refresh", { cookie: next })).status).toBe(200);
  });

  it("follows the reuse rules: an older cookie after its successor was used revokes the session, and is cleared", async () => {
    const { cookie } = await cookieSignIn();
    const second = cookieFrom((await browser("/api/auth/refresh", { cookie })).setCookie);
    const third = cookieFrom((await browser("/api/auth/refresh", { cookie: second })).setCookie);
    const reused = await browser("/api/auth/refresh", { cookie });
    expect(reused.status).toBe(401);
    expect(reused.setCookie).toMatch(/^hubbub_refresh=;.*Max-Age=0/i);
    expect((await browser("/api/auth/refresh", { cookie: third })).status).toBe(401);
  });

  it("is read and cleared by logout, after which it no longer works", async () => {
    const { cookie, accessToken } = await cookieSignIn();
    const out = await browser("/api/auth/logout", { cookie });
    expect(out.status).toBe(204);
    expect(out.setCookie).toMatch(/^hubbub_refresh=;.*Max-Age=0/i);
    expect((await browser("/api/auth/refresh", { cookie })).status).toBe(401);
    expect((await api("GET", "/api/users/me", { token: accessToken })).status).toBe(401);
  });

  it("leaves the body flow as it was for curl: the token in the body, no cookie", async () => {
    const { refreshToken } = await signUp();
    const refreshed = await browser("/api/auth/refresh", { body: { refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toHaveProperty("refreshToken");
    expect(refreshed.setCookie).toBeNull();
  });

  it("is not needed: no token in the body and no cookie is 400 saying what is missing", async () => {
    const answer = await browser("/api/auth/refresh");
    expect(answer.status).toBe(400);
    expect(errorOf({ status: 400, headers: new Headers(), body: answer.body }).message).toMatch(
      /^refreshToken:/,
    );
  });
});

describe("socket tickets", () => {
  async function ticketFor(token: string): Promise<string> {
    const answer = await browser("/api/auth/ticket", { token });
    expect(answer.status).toBe(201);
    return String(answer.body?.ticket);
  }

  it("are issued to a signed-in caller: 201 {ticket, expiresIn ≤ 60}, not cacheable; 401 without a token", async () => {
    const { accessToken } = await signUp();
    const response = await SELF.fetch("https://hubbub.test/api/auth/ticket", {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { ticket: string; expiresIn: number };
    expect(body.ticket).toMatch(/^[\w-]{43}$/);
    expect(body.expiresIn).toBeGreaterThan(0);
    expect(body.expiresIn).toBeLessThanOrEqual(60);
    expect((await browser("/api/auth/ticket")).status).toBe(401);
  });

  it("open a room socket and the user channel instead of ?token=, once each", async () => {
    const { accessToken, user } = await signUp();
    const room = await createRoom(accessToken, { kind: "private" });
    const ticket = await ticketFor(accessToken);
    const socket = await connect(`/api/rooms/${room.id}/ws?ticket=${ticket}`);
    expect(await socket.next("welcome")).toMatchObject({ roomId: room.id, userId: user.id });
    const again = await upgrade(`/api/rooms/${room.id}/ws?ticket=${ticket}`);
    expect(again.status).toBe(401);
    const channel = await connect(`/api/ws?ticket=${await ticketFor(accessToken)}`);
    await channel.sync();
    // ?token= still works, for wscat.
    await (await connect(`/api/rooms/${room.id}/ws?token=${accessToken}`)).next("welcome");
  });

  it("work only once even when two sockets race with one", async () => {
    const { accessToken } = await signUp();
    const room = await createRoom(accessToken, { kind: "private" });
    const ticket = await ticketFor(accessToken);
    const answers = await Promise.all([
      upgrade(`/api/rooms/${room.id}/ws?ticket=${ticket}`),
      upgrade(`/api/rooms/${room.id}/ws?ticket=${ticket}`),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([101, 401]);
    for (const answer of answers) {
      answer.webSocket?.accept();
      answer.webSocket?.close(1000, "test done");
    }
  });

  it("stop working when they expire, when their session ends, and for anyone but their user", async () => {
    const [owner, stranger] = await Promise.all([signUp(), signUp()]);
    const room = await createRoom(owner.accessToken, { kind: "private" });
    const expired = await ticketFor(owner.accessToken);
    await env.DB.prepare("UPDATE socket_tickets SET expires_at = ?")
      .bind(Date.now() - 1)
      .run();
    expect((await upgrade(`/api/rooms/${room.id}/ws?ticket=${expired}`)).status).toBe(401);
    // The stranger's ticket is theirs: it opens no door to the owner's private room (404).
    const strangers = await ticketFor(stranger.accessToken);
    expect((await upgrade(`/api/rooms/${room.id}/ws?ticket=${strangers}`)).status).toBe(404);
    const beforeLogout = await ticketFor(owner.accessToken);
    await api("POST", "/api/auth/logout", { body: { refreshToken: owner.refreshToken } });
    expect((await upgrade(`/api/rooms/${room.id}/ws?ticket=${beforeLogout}`)).status).toBe(401);
  });

  it("open sockets that carry the session and close (4001) when the token that asked for the ticket expires", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken, { kind: "private" });
    const sid = JSON.parse(
      atob((owner.accessToken.split(".")[1] ?? "").replaceAll("-", "+").replaceAll("_", "/")),
    ).sid;
    const shortLived = await new SignJWT({ sid })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(owner.user.id)
      .setIssuer("hubbub")
      .setAudience("hubbub-api")
      .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
      .sign(new TextEncoder().encode(env.JWT_SECRET));
    const issued = await browser("/api/auth/ticket", { token: shortLived });
    expect(Number(issued.body?.expiresIn)).toBeLessThanOrEqual(2);
    const socket = await connect(`/api/rooms/${room.id}/ws?ticket=${String(issued.body?.ticket)}`);
    await socket.next("welcome");
    expect((await socket.closed).code).toBe(4001);
    // And a session's end closes a ticket's socket like any other.
    const mine = await connect(`/api/rooms/${room.id}/ws?ticket=${await ticketFor(owner.accessToken)}`);
    await mine.next("welcome");
    await api("POST", "/api/auth/logout", { body: { refreshToken: owner.refreshToken } });
    expect((await mine.closed).code).toBe(4001);
  });
});
