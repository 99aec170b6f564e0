import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.evaluate(
      ({ path }) =>
        new Promise<void>((resolve, reject) => {
          const socket = new WebSocket(`ws://${location.host}${path}`);
          const closed = new Promise<number>((done) =>
            socket.addEventListener("close", (event) => done(event.code)),
          );
          (window as unknown as { socketClosed: Promise<number> }).socketClosed = closed;
          socket.addEventListener("message", () => resolve(), { once: true });
          socket.addEventListener("error", () => reject(new Error("socket error")));
        }),
      { path: `/api/rooms/${roomId}/ws?token=${member.accessToken}` },
    );
    const removed = await call(server, "DELETE", `/api/rooms/${roomId}/members/${member.user.id}`, {
      token: owner.accessToken,
    });
    expect(removed.status).toBe(204);
    const code = page.evaluate(() => (window as unknown as { socketClosed: Promise<number> }).socketClosed);
    expect(await closedWithin(code, "the removed member's socket", BROWSER_WITHIN_MS)).toBe(4003);
    await page.close();
  });
});
