import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./browser.ts";
import { startTestServer, type TestServer } from "./server.ts";

// The web client's session flow in a real browser against `wrangler dev` on plain
// http://127.0.0.1: the refresh token lives in an HttpOnly, Secure cookie that Chromium keeps there
// (it treats 127.0.0.1 as a secure context), page scripts never see it, and sockets open with
// one-time tickets.

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  page = await browser.newPage();
  // The app's own page: its Content-Security-Policy lets it call its own origin (the API's does not).
  await page.goto(`${server.url}/`);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/** fetch() from the page, same-origin, as the web client calls the API. */
function pageCall(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  return page.evaluate(
    async ({ path, init }) => {
      const headers: Record<string, string> = {};
      if (init.body !== undefined) headers["content-type"] = "application/json";
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      const response = await fetch(path, {
        method: init.method ?? "POST",
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { path, init },
  );
}

describe("the cookie and ticket flow in Chromium on http://127.0.0.1", () => {
  it("keeps the Secure, HttpOnly refresh cookie, refreshes and signs out with it, and opens a socket by ticket", async () => {
    const registered = await pageCall("/api/auth/register", {
      body: { username: "cookie_web", password: "purple elephants juggle", useCookie: true },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).not.toHaveProperty("refreshToken");

    const [cookie] = await page.context().cookies(`${server.url}/api/auth/refresh`);
    expect(cookie).toMatchObject({
      name: "hubbub_refresh",
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
      path: "/api/auth",
    });
    // Page scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe("");

    // The browser sends it by itself: no token in the body.
    const refreshed = await pageCall("/api/auth/refresh");
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).not.toHaveProperty("refreshToken");
    const [rotated] = await page.context().cookies(`${server.url}/api/auth/refresh`);
    expect(rotated?.value).not.toBe(cookie?.value);

    const ticket = await pageCall("/api/auth/ticket", { token: refreshed.body.accessToken });
    expect(ticket.status).toBe(201);
    const welcome = await page.evaluate(
      (ticket) =>
        new Promise<unknown>((resolve, reject) => {
          const socket = new WebSocket(`${location.origin.replace("http", "ws")}/api/ws?ticket=${ticket}`);
          socket.onopen = () => socket.send(JSON.stringify({ type: "ping" }));
          socket.onmessage = (event) => {
            resolve(JSON.parse(String(event.data)));
            socket.close();
          };
          socket.onerror = () => reject(new Error("the socket failed"));
          setTimeout(() => reject(new Error("no answer on the socket within 10 s")), 10_000);
        }),
      String(ticket.body.ticket),
    );
    expect(welcome).toEqual({ type: "pong" });

    const out = await pageCall("/api/auth/logout");
    expect(out.status).toBe(204);
    expect(await page.context().cookies(`${server.url}/api/auth/refresh`)).toEqual([]);
    expect((await pageCall("/api/auth/refresh")).status).toBe(400);
  });
});
