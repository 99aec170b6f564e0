import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotPath } from "./browser.ts";
import { submitSignUp } from "./pages.ts";
import { call, startTestServer, type TestServer } from "./server.ts";

// The foundation as a user meets it: a real `wrangler dev`, the API driven like curl, the page
// and the API reference opened in Chromium with every request off this machine refused.

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

describe("auth and users over HTTP against wrangler dev", () => {
  it("walks the whole account life cycle", async () => {
    const registered = await call(server, "POST", "/api/auth/register", {
      body: { username: "alice", password: "correct horse battery", displayName: "Alice" },
    });
    expect(registered.status).toBe(201);
    const first = registered.body as { accessToken: string; refreshToken: string; user: { id: string } };

    const taken = await call(server, "POST", "/api/auth/register", {
      body: { username: "ALICE", password: "whatever123" },
    });
    expect(taken.status).toBe(409);

    const login = await call(server, "POST", "/api/auth/login", {
      body: { username: "alice", password: "correct horse battery" },
    });
    expect(login.status).toBe(200);

    const me = await call(server, "GET", "/api/users/me", { token: first.accessToken });
    expect(me.body).toMatchObject({ id: first.user.id, username: "alice", displayName: "Alice" });

    const edited = await call(server, "PATCH", "/api/users/me", {
      token: first.accessToken,
      body: { bio: "Hello from the edge" },
    });
    expect(edited.body).toMatchObject({ bio: "Hello from the edge" });

    const refreshed = await call(server, "POST", "/api/auth/refresh", {
      body: { refreshToken: first.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    // A retry of the same refresh (its answer lost) gets the same successor; once that successor has
    // been used, the first token is a reuse and revokes the session.
    const retried = await call(server, "POST", "/api/auth/refresh", {
      body: { refreshToken: first.refreshToken },
    });
    expect(retried.status).toBe(200);
    const onward = await call(server, "POST", "/api/auth/refresh", {
      body: { refreshToken: (refreshed.body as { refreshToken: string }).refreshToken },
    });
    expect(onward.status).toBe(200);
    const replayed = await call(server, "POST", "/api/auth/refresh", {
      body: { refreshToken: first.refreshToken },
    });
    expect(replayed.status).toBe(401);

    const bob = await call(server, "POST", "/api/auth/register", {
      body: { username: "bob", password: "correct horse battery" },
    });
    const bobToken = (bob.body as { accessToken: string }).accessToken;
    const found = await call(server, "GET", "/api/users?q=AL", { token: bobToken });
    expect(found.body).toMatchObject({ users: [{ username: "alice", bio: "Hello from the edge" }] });

    const verified = await call(server, "POST", "/api/auth/verify", { body: { token: bobToken } });
    expect(verified.body).toMatchObject({ valid: true });

    const loggedOut = await call(server, "POST", "/api/auth/logout", {
      body: { refreshToken: (login.body as { refreshToken: string }).refreshToken },
    });
    expect(loggedOut.status).toBe(204);
  });

  it("serves the page with its security headers, and deep links load the app", async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBeTruthy();
    const deep = await fetch(`${server.url}/rooms/some-room`, { headers: { "sec-fetch-mode": "navigate" } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app">');
    const api404 = await fetch(`${server.url}/api/rooms-that-do-not-exist`);
    expect(api404.status).toBe(404);
    expect(await api404.json()).toMatchObject({ error: { code: "not_found" } });
  });
});

describe("in the browser", () => {
  it("renders the API reference at /api/docs with no network beyond this server", async () => {
    const context = await browser.newContext();
    const offsite: string[] = [];
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.origin === server.url) return route.continue();
      offsite.push(url.href);
      return route.abort();
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    await page.goto(`${server.url}/api/docs`);
    await page.getByText("Hubbub API").first().waitFor();
    await page.locator(".opblock").first().waitFor();
    expect(await page.locator(".opblock").count()).toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: screenshotPath("api-docs.png"), fullPage: false });
    expect(offsite).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("signs up, signs out, and refuses a wrong password from the page", async () => {
    const page = await browser.newPage();
    await submitSignUp(page, server.url, "carol");
    await page.getByText("Welcome, carol").waitFor();
    await page.screenshot({ path: screenshotPath("signed-in.png") });
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Username").fill("carol");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Wrong username or password");
    await page.close();
  });
});
