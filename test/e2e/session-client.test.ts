import { SignJWT } from "jose";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotPath } from "./browser.ts";
import { bubble, live, nativeDialogs, PASSWORD, pages, send } from "./pages.ts";
import { call, startTestServer, type TestServer } from "./server.ts";

// The web client's session as people live it, against a real `wrangler dev`: the cookie and
// ticket flow (nothing a page script can read holds a token; sockets open with one-time tickets),
// staying signed in across a reload, a socket closed with 4001 when its token expires that comes
// back and resumes without losing or doubling a message, and deleting the account from the
// profile dialog, which signs that person out in every browser they use.

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const { signUp, personOverApi } = pages(() => ({ server, browser }));

type Close = { url: string; code: number };

/** Records every WebSocket close the page sees, with its code, in window.closes (from the next load). */
async function recordSocketCloses(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const closes: { url: string; code: number }[] = [];
    Object.assign(window, { closes });
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener("close", (event) => closes.push({ url: String(url), code: event.code }));
      }
    };
  });
}

function socketCloses(page: Page): Promise<Close[]> {
  return page.evaluate(() => (window as unknown as { closes: Close[] }).closes);
}

/** The page's own access token, re-signed to expire in `seconds` (the test knows the server's secret). */
function expiringSoon(authorization: string, seconds: number): Promise<string> {
  const token = authorization.replace(/^Bearer /, "");
  const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub)
    .setIssuer("hubbub")
    .setAudience("hubbub-api")
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(new TextEncoder().encode(server.secret));
}

async function userId(token: string, username: string): Promise<string> {
  const found = await call(server, "GET", `/api/users?q=${username}`, { token });
  const users = (found.body?.users ?? []) as { id: string }[];
  return users[0]?.id ?? "";
}

describe("the web client's session", () => {
  it("keeps no token where page scripts can read it, opens sockets by ticket, and stays signed in across a reload", async () => {
    const page = await signUp("rhea");
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));

    const readable = await page.evaluate(() => ({
      local: { ...localStorage },
      session: { ...sessionStorage },
      cookies: document.cookie,
    }));
    // A JWT starts with "eyJ"; the refresh token is 43 base64url characters: neither is there.
    expect(JSON.stringify(readable)).not.toMatch(/eyJ|[A-Za-z0-9_-]{40,}/);
    expect(readable.cookies).toBe("");
    const [cookie] = await page.context().cookies(`${server.url}/api/auth/refresh`);
    expect(cookie).toMatchObject({
      name: "hubbub_refresh",
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
    });

    await page.reload();
    await page.getByText("Welcome, rhea").waitFor();
    await page.getByRole("button", { name: "New room" }).click();
    await page.getByLabel("Name").fill("reloaded");
    await page.getByRole("button", { name: "Create room" }).click();
    await live(page);
    await send(page, "still here after a reload");
    await bubble(page, "still here after a reload").waitFor();

    // And again, inside the room: it opens where it was, live, with its history.
    await page.reload();
    await live(page);
    await bubble(page, "still here after a reload").waitFor();
    expect(sockets.length).toBeGreaterThanOrEqual(4);
    for (const url of sockets) {
      expect(url).toContain("ticket=");
      expect(url).not.toContain("token=");
    }
    await page.context().close();
  });

  it("ends a session an earlier version left in localStorage, and removes it", async () => {
    const old = await call(server, "POST", "/api/auth/register", {
      body: { username: "ulla", password: PASSWORD },
    });
    const context = await browser.newContext();
    await context.addInitScript((saved) => {
      if (!sessionStorage.getItem("seeded")) {
        localStorage.setItem("hubbub.session", saved);
        sessionStorage.setItem("seeded", "1");
      }
    }, JSON.stringify(old.body));
    const page = await context.newPage();
    const loggedOut = page.waitForResponse((response) => response.url().endsWith("/api/auth/logout"));
    await page.goto(server.url);
    expect((await loggedOut).status()).toBe(204);
    await page.getByRole("tab", { name: "Create account" }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem("hubbub.session"))).toBeNull();
    const refreshed = await call(server, "POST", "/api/auth/refresh", {
      body: { refreshToken: old.body?.refreshToken },
    });
    expect(refreshed.status).toBe(401);
    await context.close();
  });

  it("reconnects a socket closed with 4001 at its token's expiry and resumes without losing or doubling a message", async () => {
    const sven = await signUp("sven");
    const bob = await personOverApi("bob_expiry");
    const created = await call(server, "POST", "/api/rooms", {
      token: bob.token,
      body: { name: "expiry", kind: "private" },
    });
    const roomId = String(created.body?.id);
    const added = await call(server, "POST", `/api/rooms/${roomId}/members`, {
      token: bob.token,
      body: { userId: await userId(bob.token, "sven") },
    });
    expect(added.status).toBeLessThan(300);

    // The page's next tickets stand for a token that expires in 8 s; after that the tickets are
    // normal again, but the first one after the close waits until Bob has sent into the gap.
    let shorten = true;
    let releaseGap: () => void = () => undefined;
    const gap = new Promise<void>((resolve) => {
      releaseGap = resolve;
    });
    let closedOnce = false;
    await sven.context().route("**/api/auth/ticket", async (route: Route) => {
      const headers = route.request().headers();
      if (shorten && headers.authorization) {
        headers.authorization = `Bearer ${await expiringSoon(headers.authorization, 8)}`;
        return route.continue({ headers });
      }
      if (closedOnce) await gap;
      return route.continue();
    });
    await recordSocketCloses(sven.context());
    await sven.goto(`${server.url}/rooms/${roomId}`);
    await live(sven);
    shorten = false;

    const bobSays = (body: string) =>
      call(server, "POST", `/api/rooms/${roomId}/messages`, { token: bob.token, body: { body } });
    await bobSays("before the expiry");
    await bubble(sven, "before the expiry").waitFor();

    await expect
      .poll(async () => (await socketCloses(sven)).some((close) => close.url.includes("/rooms/")), {
        message: "the room socket closes when its token expires",
        timeout: 30_000,
      })
      .toBe(true);
    closedOnce = true;
    const roomCloses = (await socketCloses(sven)).filter((close) => close.url.includes("/rooms/"));
    expect(roomCloses.map((close) => close.code)).toEqual([4001]);
    // While Sven's page is away (its next ticket is held back), Bob goes on talking.
    for (const body of ["in the gap one", "in the gap two", "in the gap three"]) await bobSays(body);
    releaseGap();

    await live(sven);
    await bobSays("after the reconnect");
    await bubble(sven, "after the reconnect").waitFor();
    await send(sven, "sven is back");
    await bubble(sven, "sven is back").waitFor();
    const expected = [
      "before the expiry",
      "in the gap one",
      "in the gap two",
      "in the gap three",
      "after the reconnect",
      "sven is back",
    ];
    for (const text of expected) expect(await bubble(sven, text).count(), text).toBe(1);
    const shown = await sven.locator(".message:not(.pending) .bubble").allTextContents();
    const order = expected.map((text) => shown.findIndex((each) => each.includes(text)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // The room has each once too.
    const history = await call(server, "GET", `/api/rooms/${roomId}/messages?limit=50`, { token: bob.token });
    const messages = (history.body?.messages ?? []) as { body: string }[];
    const bodies = messages.map((message) => message.body);
    expect(bodies).toEqual(expected);
    await sven.context().close();
  });

  it("deletes the account from the profile dialog, with the password asked again, and signs out its other browser (4001)", async () => {
    const page = await signUp("tove");
    const native = nativeDialogs(page);
    // The same person in another browser, signed in there.
    const elsewhere = await browser.newContext();
    await recordSocketCloses(elsewhere);
    const other = await elsewhere.newPage();
    await other.goto(server.url);
    await other.getByLabel("Username").fill("tove");
    await other.getByLabel("Password").fill(PASSWORD);
    await other.getByRole("button", { name: "Sign in" }).last().click();
    await other.getByText("Welcome, tove").waitFor();
    await other.locator(".connection.live").waitFor();

    await page.getByRole("button", { name: "Edit profile" }).click();
    await page.getByRole("button", { name: "Delete account…" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath("profile-dialog-delete-account.png") });
    await page.getByRole("button", { name: "Delete account…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete your account" });
    await dialog.getByLabel("Your password").fill("not my password at all");
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await dialog.getByRole("alert").getByText("The password is wrong.").waitFor();
    await page.screenshot({ path: screenshotPath("delete-account-wrong-password.png") });

    await dialog.getByLabel("Your password").fill(PASSWORD);
    await dialog.getByRole("button", { name: "Delete my account" }).click();
    await page.getByRole("tab", { name: "Create account" }).waitFor();
    await page.screenshot({ path: screenshotPath("delete-account-signed-out.png") });

    // The other browser's channel socket is closed with 4001, and it falls back to sign-in.
    await expect
      .poll(async () => (await socketCloses(other)).map((close) => close.code), {
        message: "the other browser's socket closes with 4001",
        timeout: 20_000,
      })
      .toContain(4001);
    await other.getByRole("tab", { name: "Create account" }).waitFor({ timeout: 20_000 });
    const login = await call(server, "POST", "/api/auth/login", {
      body: { username: "tove", password: PASSWORD },
    });
    expect(login.status).toBe(401);
    expect(native).toEqual([]);
    await elsewhere.close();
    await page.context().close();
  });
});
