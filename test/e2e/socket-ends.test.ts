import { SignJWT } from "jose";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import NodeWebSocket from "ws";
import type { SignedIn } from "../shared/fixtures.ts";
import { fixturesAt, openSocket } from "../shared/node-client.ts";
import { launchBrowser } from "./browser.ts";
import { call, startTestServer, type TestServer } from "./server.ts";

// Sockets the server ends (API.md: every socket the server ends is really ended), through a real
// `wrangler dev`: the client must see `close` with the code, not a half-open connection.
//
// A room that is deleted resets its object after the Close frames, so every connection ends at
// once, for any client. A single member's socket closed by the room (removal) is bounded by the
// runtime (see worker/room-object/membership.ts): the browser sees it within its own 2 s wait.

const WITHIN_MS = 3000;
/** Chromium waits 2 s for the server to drop the connection before it reports the close itself. */
const BROWSER_WITHIN_MS = 6000;

let server: TestServer;
let browser: Browser;
const { privatePair } = fixturesAt(() => server.url);

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/**
 * A page of the app with one raw WebSocket open to `path`; `closedCode()` resolves with its close code.
 * `path` may be made once the page has loaded (a token that expires soon must not expire on the way).
 */
async function browserSocket(
  path: string | (() => Promise<string>),
): Promise<{ page: Page; closedCode: () => Promise<number> }> {
  const page = await browser.newPage();
  await page.goto(server.url);
  const socketPath = typeof path === "string" ? path : await path();
  await page.evaluate(
    (socketPath) =>
      new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(`ws://${location.host}${socketPath}`);
        const closed = new Promise<number>((done) =>
          socket.addEventListener("close", (event) => done(event.code)),
        );
        (window as unknown as { socketClosed: Promise<number> }).socketClosed = closed;
        socket.addEventListener("open", () => resolve(), { once: true });
        socket.addEventListener("error", () => reject(new Error("socket error")));
      }),
    socketPath,
  );
  const closedCode = () =>
    page.evaluate(() => (window as unknown as { socketClosed: Promise<number> }).socketClosed);
  return { page, closedCode };
}

/** The person's own session, re-signed to expire in `seconds` (the test knows the server's secret). */
function expiringToken(person: SignedIn, seconds: number): Promise<string> {
  const payload = JSON.parse(Buffer.from(person.accessToken.split(".")[1] ?? "", "base64url").toString());
  return new SignJWT({ sid: payload.sid })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(person.user.id)
    .setIssuer("hubbub")
    .setAudience("hubbub-api")
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(new TextEncoder().encode(server.secret));
}

function closedWithin<T>(closed: Promise<T>, what: string, within = WITHIN_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no close event within ${within} ms`)), within);
  });
  return Promise.race([closed, timeout]).finally(() => clearTimeout(timer));
}

describe("sockets the server ends", () => {
  it("ends every socket of a deleted room at once with 4004, for a plain ws client too", async () => {
    const { room, owner, member } = await privatePair();
    const roomId = room.id;
    const url = (token: string) =>
      `${server.url.replace("http", "ws")}/api/rooms/${roomId}/ws?token=${token}`;
    const sockets = [await openSocket(url(owner.accessToken)), await openSocket(url(member.accessToken))];
    for (const socket of sockets) await socket.next("welcome");

    const deleted = await call(server, "DELETE", `/api/rooms/${roomId}`, { token: owner.accessToken });
    expect(deleted.status).toBe(204);
    for (const socket of sockets) {
      expect(await closedWithin(socket.closed, "a socket of the deleted room")).toMatchObject({ code: 4004 });
    }
  });

  it("closes a removed member's socket in the browser with 4003, promptly", async () => {
    const { room, owner, member } = await privatePair();
    const roomId = room.id;
    const { page, closedCode } = await browserSocket(`/api/rooms/${roomId}/ws?token=${member.accessToken}`);
    const removed = await call(server, "DELETE", `/api/rooms/${roomId}/members/${member.user.id}`, {
      token: owner.accessToken,
    });
    expect(removed.status).toBe(204);
    expect(await closedWithin(closedCode(), "the removed member's socket", BROWSER_WITHIN_MS)).toBe(4003);
    await page.close();
  });

  it("closes a banned member's socket with 4003", async () => {
    const { room, owner, member } = await privatePair();
    const roomId = room.id;
    const { page, closedCode } = await browserSocket(`/api/rooms/${roomId}/ws?token=${member.accessToken}`);
    const banned = await call(server, "POST", `/api/rooms/${roomId}/bans`, {
      token: owner.accessToken,
      body: { userId: member.user.id, reason: "spam" },
    });
    expect(banned.status).toBe(204);
    expect(await closedWithin(closedCode(), "the banned member's socket", BROWSER_WITHIN_MS)).toBe(4003);
    await page.close();
  });

  it("closes the room and channel sockets of a session that logs out with 4001", async () => {
    const { room, owner } = await privatePair();
    const roomId = room.id;
    const inRoom = await browserSocket(`/api/rooms/${roomId}/ws?token=${owner.accessToken}`);
    const channel = await browserSocket(`/api/ws?token=${owner.accessToken}`);
    const out = await call(server, "POST", "/api/auth/logout", {
      body: { refreshToken: owner.refreshToken },
    });
    expect(out.status).toBe(204);
    expect(await closedWithin(inRoom.closedCode(), "the room socket", BROWSER_WITHIN_MS)).toBe(4001);
    expect(await closedWithin(channel.closedCode(), "the channel socket", BROWSER_WITHIN_MS)).toBe(4001);
    await inRoom.page.close();
    await channel.page.close();
  });

  it("closes a socket with 4001 when the access token that opened it expires", async () => {
    const { room, owner } = await privatePair();
    const roomId = room.id;
    const { page, closedCode } = await browserSocket(
      async () => `/api/rooms/${roomId}/ws?token=${await expiringToken(owner, 5)}`,
    );
    expect(
      await closedWithin(closedCode(), "the socket of an expiring token", 5000 + BROWSER_WITHIN_MS),
    ).toBe(4001);
    await page.close();
  });

  it("refuses an upgrade from another site's page with 403, and accepts the app's own and wscat's", async () => {
    const { room, owner } = await privatePair();
    const roomId = room.id;
    const url = `${server.url.replace("http", "ws")}/api/rooms/${roomId}/ws?token=${owner.accessToken}`;
    const statusOf = (origin?: string) =>
      new Promise<number>((resolve, reject) => {
        const ws = new NodeWebSocket(url, origin ? { origin } : {});
        ws.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        ws.once("open", () => {
          ws.close();
          resolve(101);
        });
        ws.once("error", reject);
      });
    expect(await statusOf("https://evil.example")).toBe(403);
    expect(await statusOf("null")).toBe(403);
    expect(await statusOf(server.url)).toBe(101);
    expect(await statusOf()).toBe(101);
  });
});
