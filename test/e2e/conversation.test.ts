import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotPath } from "./browser.ts";
import { submitSignUp } from "./pages.ts";
import { call, startTestServer, type TestServer } from "./server.ts";

// Conversations as two people have them, in two browsers against a real `wrangler dev` (issue 10):
// reactions, threads, quote replies, mentions and notifications, pins, formatting, drafts, the
// offline shell and the demo sign-in. Everything arrives live: no test reloads to see a change.

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // DEMO_USERS on, as `npm run dev` runs after `npm run seed` (the demo sign-in test needs it).
  // The jump test fills history fast (55 sends a person in a few seconds, on a fast machine past the
  // burst of 20): the message limit, which has tests of its own, is raised for this server.
  const settings = { DEMO_USERS: "true", MESSAGE_BURST: "1000" };
  [server, browser] = await Promise.all([startTestServer(settings), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

type Person = { page: Page; context: BrowserContext; id: string; token: () => Promise<string> };

/**
 * The tab's visibility, under the test's control: headless Chromium always says "visible", and
 * notifications are for a hidden tab. The page sees document.visibilityState and the event, as
 * when someone switches tabs.
 */
function controlVisibility() {
  let hidden = false;
  Object.defineProperty(Document.prototype, "visibilityState", {
    configurable: true,
    get: () => (hidden ? "hidden" : "visible"),
  });
  Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => hidden });
  Object.assign(window, {
    hubbubSetHidden(next: boolean) {
      hidden = next;
      document.dispatchEvent(new Event("visibilitychange"));
    },
  });
}

async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((next) => {
    const control = window as unknown as { hubbubSetHidden: (hidden: boolean) => void };
    control.hubbubSetHidden(next);
  }, hidden);
}

let people = 0;

/** Someone signs up in a browser of their own (notifications allowed, as after clicking "Allow"). */
async function person(prefix: string, viewport = { width: 1200, height: 780 }): Promise<Person> {
  people += 1;
  const username = `${prefix}${people}`;
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(["notifications"], { origin: server.url });
  await context.addInitScript(controlVisibility);
  const page = await context.newPage();
  await submitSignUp(page, server.url, username);
  await page.getByText(`Welcome, ${username}`).waitFor();
  // The page keeps its tokens out of reach of scripts (cookie + memory): the test signs in a second
  // session of the same person over the API for the calls it makes as them.
  const signedIn = await call(server, "POST", "/api/auth/login", {
    body: { username, password: "correct horse battery" },
  });
  const { user, accessToken } = signedIn.body as { user: { id: string }; accessToken: string };
  return { page, context, id: user.id, token: async () => accessToken };
}

const composer = (page: Page) => page.getByRole("combobox", { name: /^Message / });
const live = (page: Page) => page.locator('.room[data-connection="live"]').waitFor();
/** A message in the main timeline by its own text (not by a quote of it). */
const message = (page: Page, text: string) =>
  page
    .locator(".timeline .message:not(.pending)")
    .filter({ has: page.locator(".bubble", { hasText: text }) });

async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press("Enter");
  await message(page, text.split("\n")[0] ?? text)
    .last()
    .waitFor();
}

/** A public room that `owner` creates in their browser and everyone else joins; all have it open. */
async function roomOf(owner: Person, others: Person[], name: string): Promise<string> {
  await owner.page.getByRole("button", { name: "New room" }).click();
  await owner.page.getByLabel("Name").fill(name);
  await owner.page.getByRole("button", { name: "Create room" }).click();
  await owner.page.getByRole("heading", { name: `# ${name}` }).waitFor();
  await live(owner.page);
  const roomId = new URL(owner.page.url()).pathname.split("/").at(-1) ?? "";
  for (const other of others) {
    expect(
      (await call(server, "POST", `/api/rooms/${roomId}/join`, { token: await other.token() })).status,
    ).toBe(200);
    await other.page.getByRole("link", { name: `# ${name}` }).click();
    await live(other.page);
  }
  return roomId;
}

async function openActions(page: Page, text: string) {
  await message(page, text).last().getByRole("button", { name: "Message actions" }).click();
  return page.getByRole("menu", { name: "Message actions" });
}

describe("conversations in the web client", () => {
  it("lets two people react and see it live: counts, who reacted on hover, yours pressed, a keyboard picker", async () => {
    const [ann, ben] = [await person("ann"), await person("ben")];
    await roomOf(ann, [ben], "lunch");
    await send(ann.page, "lunch at noon?");

    // Ben reacts from the message's menu, finding the emoji by name in the picker.
    await (await openActions(ben.page, "lunch at noon?"))
      .getByRole("menuitem", { name: "Add reaction" })
      .click();
    const picker = ben.page.getByRole("dialog", { name: "Choose a reaction" });
    await picker.getByRole("option", { name: "grinning face", exact: true }).waitFor();
    await ben.page.screenshot({ path: screenshotPath("conversation-emoji-picker.png") });
    await picker.getByRole("combobox", { name: "Search emoji" }).fill("thumbs up");
    await ben.page.keyboard.press("Enter");
    await picker.waitFor({ state: "detached" });

    // Ann sees it at once, adds hers by clicking it, and Ben sees two.
    const annThumbs = message(ann.page, "lunch at noon?").getByRole("button", { name: "👍 1" });
    await annThumbs.click();
    const benThumbs = message(ben.page, "lunch at noon?").getByRole("button", { name: "👍 2" });
    await benThumbs.waitFor();
    expect(await benThumbs.getAttribute("aria-pressed")).toBe("true");
    const annNow = message(ann.page, "lunch at noon?").getByRole("button", { name: "👍 2" });
    await annNow.hover();
    const tip = ann.page.getByRole("tooltip", { name: /reacted with 👍/ });
    await tip.waitFor();
    expect(await tip.textContent()).toBe(`You and ben${people} reacted with 👍`);
    await ann.page.screenshot({ path: screenshotPath("conversation-reactions.png") });

    // By keyboard: the "Add reaction" button opens the picker with the recently used first.
    const add = message(ben.page, "lunch at noon?").getByRole("button", { name: "Add reaction" });
    await add.focus();
    await ben.page.keyboard.press("Enter");
    await picker
      .getByRole("group", { name: "Recently used" })
      .getByRole("option", { name: "thumbs up" })
      .waitFor();
    await ben.page.keyboard.type("party popper");
    await picker.getByRole("option", { name: "party popper" }).waitFor();
    await ben.page.keyboard.press("Enter");
    await message(ann.page, "lunch at noon?").getByRole("button", { name: "🎉 1" }).waitFor();
    await expect
      .poll(() => ben.page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
      .toBe("Add reaction");

    // Taking one back: Ann presses hers again; Ben sees one left.
    await annNow.click();
    await message(ben.page, "lunch at noon?").getByRole("button", { name: "👍 1" }).waitFor();
  });

  it("replies in a thread: the root's counter moves live, replies stay out of the timeline, unread marked", async () => {
    const [ann, ben] = [await person("ann"), await person("ben")];
    await roomOf(ann, [ben], "plans");
    await send(ann.page, "Plan for Friday");

    await (await openActions(ben.page, "Plan for Friday"))
      .getByRole("menuitem", { name: "Reply in thread" })
      .click();
    const benThread = ben.page.getByRole("complementary", { name: "Thread" });
    await benThread.getByText("No replies yet").waitFor();
    await benThread.getByRole("combobox", { name: "Reply in thread" }).fill("I can bring snacks");
    await benThread.getByRole("combobox", { name: "Reply in thread" }).press("Enter");
    await benThread.locator(".message:not(.pending)", { hasText: "I can bring snacks" }).waitFor();

    // Ann's root shows the counter, new for her (her thread), and the reply is not in her timeline.
    const summary = message(ann.page, "Plan for Friday").getByRole("button", {
      name: /^1 reply, last just now, new replies/,
    });
    await summary.waitFor();
    expect(await message(ann.page, "I can bring snacks").count()).toBe(0);
    await ann.page.screenshot({ path: screenshotPath("conversation-thread-counter.png") });

    // She opens it: the reply is there, the mark goes, and the next reply arrives live.
    await summary.click();
    const annThread = ann.page.getByRole("complementary", { name: "Thread" });
    await annThread.locator(".message", { hasText: "I can bring snacks" }).waitFor();
    await message(ann.page, "Plan for Friday")
      .getByRole("button", { name: /^1 reply, last just now\. Open/ })
      .waitFor();
    await benThread.getByRole("combobox", { name: "Reply in thread" }).fill("and a frisbee");
    await benThread.getByRole("combobox", { name: "Reply in thread" }).press("Enter");
    await annThread.locator(".message", { hasText: "and a frisbee" }).waitFor();
    await message(ann.page, "Plan for Friday")
      .getByRole("button", { name: /^2 replies/ })
      .waitFor();
    await ann.page.screenshot({ path: screenshotPath("conversation-thread-panel.png") });

    // On a phone the thread is a screen of its own, with its own way back.
    await ann.page.setViewportSize({ width: 375, height: 740 });
    await ann.page.screenshot({ path: screenshotPath("phone-thread.png") });
    await annThread.getByRole("button", { name: "Close the thread" }).click();
    await annThread.waitFor({ state: "detached" });
  });

  it("quotes a message, and a click on the quote jumps to the original, loading history around it", async () => {
    const [ann, ben] = [await person("ann"), await person("ben")];
    const roomId = await roomOf(ann, [ben], "history");
    await send(ann.page, "the original question");
    const original = (await message(ann.page, "the original question").getAttribute("data-seq")) ?? "";

    // 110 more push the original more than two pages back (a page around it, 50, cannot reach the
    // newest 50), so the jump leaves a gap below it; the last one quotes it.
    const tokens = [await ann.token(), await ben.token()];
    // Ten at a time: their order among themselves does not matter here.
    for (let batch = 0; batch < 110; batch += 10) {
      const sends = Array.from({ length: 10 }, (_, offset) =>
        call(server, "POST", `/api/rooms/${roomId}/messages`, {
          token: tokens[(batch + offset) % 2],
          body: { body: `filler ${batch + offset}` },
        }),
      );
      for (const sent of await Promise.all(sends)) expect(sent.status).toBe(201);
    }
    const quoting = await call(server, "POST", `/api/rooms/${roomId}/messages`, {
      token: tokens[1],
      body: { body: "answering that, finally", replyTo: Number(original) },
    });
    expect(quoting.status).toBe(201);

    await ann.page.reload();
    await live(ann.page);
    const reply = message(ann.page, "answering that, finally");
    await reply.waitFor();
    expect(await message(ann.page, "the original question").count()).toBe(0);
    await reply.getByRole("button", { name: /^Quoting You: the original question/ }).click();
    const found = message(ann.page, "the original question");
    await found.waitFor();
    // It is scrolled into view and focused (and highlighted for a moment).
    await expect
      .poll(() => ann.page.evaluate(() => document.activeElement?.getAttribute("data-seq")))
      .toBe(original);
    await expect.poll(() => found.isVisible()).toBe(true);
    await ann.page.screenshot({ path: screenshotPath("conversation-jump-to-quote.png") });

    // Below it is a gap: scrolling down pages the newer messages in until it closes at the newest.
    const newest = ann.page.getByRole("button", { name: /Jump to the newest messages/ });
    await newest.waitFor();
    const toBottom = () =>
      ann.page.locator(".timeline").evaluate((timeline) => {
        timeline.scrollTop = timeline.scrollHeight;
      });
    await expect
      .poll(async () => (await toBottom(), message(ann.page, "filler 60").count()), { timeout: 20_000 })
      .toBe(1);
    await expect.poll(async () => (await toBottom(), reply.count()), { timeout: 20_000 }).toBe(1);
    await newest.waitFor({ state: "detached" });

    // Then a quote reply of her own from the menu.
    await (await openActions(ann.page, "answering that, finally"))
      .getByRole("menuitem", { name: "Reply", exact: true })
      .click();
    await ann.page.getByText(/^Replying to/).waitFor();
    await send(ann.page, "glad we settled it");
    const benSees = message(ben.page, "glad we settled it");
    await benSees.getByRole("button", { name: /^Quoting You: answering that, finally/ }).waitFor();
  }, 120_000);

  it("mentions: @ lists members by keyboard, highlights, an @ badge and a notification while hidden; a muted room stays silent", async () => {
    const [ann, ben] = [await person("ann"), await person("ben")];
    const roomId = await roomOf(ann, [ben], "mentions");
    const mutedId = await roomOf(ann, [ben], "quiet");
    const benName = `ben${people}`;

    // Ben mutes # quiet from its header, then leaves for his room list and another tab.
    await ben.page.getByRole("button", { name: "Notifications: All messages" }).click();
    await ben.page.getByRole("menuitemradio", { name: "Nothing (mute)" }).click();
    await ben.page.getByRole("button", { name: "Notifications: Muted" }).waitFor();
    await ben.page.screenshot({ path: screenshotPath("conversation-notification-level.png") });
    await ben.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await ben.page.goto(server.url);
    await ben.page.getByRole("link", { name: /# mentions/ }).waitFor();
    await setHidden(ben.page, true);

    // Ann mentions him with the keyboard: @ and a letter, ↓ to his name (first option is active), Enter.
    await ann.page.getByRole("link", { name: /# mentions/ }).click();
    await live(ann.page);
    await composer(ann.page).pressSequentially("look @b");
    const options = ann.page.getByRole("listbox", { name: "People to mention" });
    await options.getByRole("option", { name: new RegExp(benName) }).waitFor();
    expect(await composer(ann.page).getAttribute("aria-expanded")).toBe("true");
    await ann.page.screenshot({ path: screenshotPath("conversation-mention-autocomplete.png") });
    await composer(ann.page).press("Enter");
    await expect.poll(() => composer(ann.page).inputValue()).toBe(`look @${benName} `);
    await composer(ann.page).pressSequentially("at this");
    await composer(ann.page).press("Enter");
    await message(ann.page, "at this")
      .locator(".mention", { hasText: `@${benName}` })
      .waitFor();

    // Ben: an "@" badge on the room, and one system notification for it.
    const benRoom = ben.page.getByRole("link", { name: /# mentions/ });
    await benRoom.locator(".mention-badge", { hasText: "1" }).waitFor();
    const notifications = () =>
      ben.page.evaluate(async () => {
        const registration = await navigator.serviceWorker.ready;
        return (await registration.getNotifications()).map((each) => ({
          title: each.title,
          body: each.body,
          tag: each.tag,
        }));
      });
    await expect.poll(notifications, { timeout: 15_000 }).toEqual([
      {
        title: `ann${people - 1} mentioned you in # mentions`,
        body: `ann${people - 1}: look @${benName} at this`,
        tag: `room-${roomId}`,
      },
    ]);
    await ben.page.screenshot({ path: screenshotPath("room-list-mention-badge.png") });

    // In the muted room even a mention stays silent: a quiet badge, no notification, not in the title.
    await ann.page.getByRole("link", { name: /# quiet/ }).click();
    await live(ann.page);
    await send(ann.page, `@${benName} psst`);
    await ben.page
      .getByRole("link", { name: /# quiet/ })
      .locator(".badge.quiet", { hasText: "1" })
      .waitFor();
    await send(ann.page, "one more in quiet");
    await ben.page
      .getByRole("link", { name: /# quiet/ })
      .locator(".badge.quiet", { hasText: "2" })
      .waitFor();
    expect((await notifications()).filter((each) => each.tag === `room-${mutedId}`)).toEqual([]);
    await expect.poll(() => ben.page.title()).toBe("(1) Hubbub");

    // Clicking a notification opens its room: the worker tells the open window, which navigates.
    const [worker] = ben.context.serviceWorkers();
    expect(worker).toBeDefined();
    await worker?.evaluate(async (room) => {
      const scope = self as unknown as {
        clients: { matchAll: (options: object) => Promise<{ postMessage: (data: unknown) => void }[]> };
      };
      for (const client of await scope.clients.matchAll({ type: "window" }))
        client.postMessage({ openRoom: room });
    }, roomId);
    await ben.page.waitForURL(`**/rooms/${roomId}`);
    await live(ben.page);
  });

  it("never asks for notification permission on load, only from the button", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const asked: string[] = [];
    await page.exposeFunction("hubbubAsked", (what: string) => asked.push(what));
    await page.addInitScript(() => {
      const ask = Notification.requestPermission.bind(Notification);
      const report = (window as unknown as { hubbubAsked: (what: string) => void }).hubbubAsked;
      Notification.requestPermission = () => {
        report("requestPermission");
        return ask();
      };
    });
    await submitSignUp(page, server.url, `nia${++people}`);
    const turnOn = page.getByRole("button", { name: "Turn on notifications" });
    await turnOn.waitFor();
    expect(asked).toEqual([]);
    await turnOn.click();
    await expect.poll(() => asked).toEqual(["requestPermission"]);
    await context.close();
  });

  it("pins: owners pin from the menu, everyone sees the marker live and the Pinned list; members cannot pin", async () => {
    const [ann, ben] = [await person("ann"), await person("ben")];
    await roomOf(ann, [ben], "pins");
    await send(ann.page, "The wifi password is on the fridge");
    await send(ben.page, "thanks!");

    await (await openActions(ann.page, "The wifi password")).getByRole("menuitem", { name: "Pin" }).click();
    await message(ann.page, "The wifi password").getByText("Pinned by You").waitFor();
    await message(ben.page, "The wifi password")
      .getByText(/Pinned by ann\d+/)
      .waitFor();
    const benMenu = await openActions(ben.page, "The wifi password");
    expect(await benMenu.getByRole("menuitem").allTextContents()).toEqual([
      "Add reaction",
      "Reply",
      "Reply in thread",
      "Report…",
    ]);
    await ben.page.keyboard.press("Escape");

    await ben.page.getByRole("button", { name: "Pinned messages" }).click();
    const pinned = ben.page.getByRole("complementary", { name: "Pinned messages" });
    await pinned.getByText("The wifi password is on the fridge").waitFor();
    await ben.page.screenshot({ path: screenshotPath("conversation-pinned.png") });

    // Unpinned by Ann: the list Ben has open follows.
    await (await openActions(ann.page, "The wifi password")).getByRole("menuitem", { name: "Unpin" }).click();
    await pinned.getByText("Nothing is pinned yet").waitFor();
  });

  it("renders the formatting people type, and HTML stays text", async () => {
    const [ann, ben] = [await person("ann"), await person("ben")];
    await roomOf(ann, [ben], "format");
    await composer(ann.page).fill(
      "*bold* _slanted_ ~gone~ `inline` <script>window.pwned = true</script>\n```\nconst block = 1;\n```\n> a wise quote\nsee https://example.com/a_b",
    );
    await composer(ann.page).press("Enter");
    const seen = message(ben.page, "bold");
    await seen.waitFor();
    await seen.locator("strong", { hasText: "bold" }).waitFor();
    await seen.locator("em", { hasText: "slanted" }).waitFor();
    await seen.locator("s", { hasText: "gone" }).waitFor();
    await seen.locator("code.code-span", { hasText: "inline" }).waitFor();
    await seen.locator("pre code", { hasText: "const block = 1;" }).waitFor();
    await seen.locator("blockquote", { hasText: "a wise quote" }).waitFor();
    expect(await seen.getByRole("link", { name: "https://example.com/a_b" }).getAttribute("href")).toBe(
      "https://example.com/a_b",
    );
    expect(await seen.locator(".bubble").textContent()).toContain("<script>window.pwned = true</script>");
    expect(await seen.locator("script").count()).toBe(0);
    expect(await ben.page.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined();
    await ben.page.screenshot({ path: screenshotPath("conversation-formatting.png") });
  });

  it("keeps a draft per room and per thread, restores it on return and after a reload, and clears it on send", async () => {
    const [ann] = [await person("ann")];
    await roomOf(ann, [], "drafts");
    await send(ann.page, "root for a thread");
    await composer(ann.page).fill("half a thought");
    await (await openActions(ann.page, "root for a thread"))
      .getByRole("menuitem", { name: "Reply in thread" })
      .click();
    const threadBox = ann.page.getByRole("combobox", { name: "Reply in thread" });
    await threadBox.fill("a thread draft");

    // Another room, and back: the draft is where it was; a reload keeps it too.
    await roomOf(ann, [], "elsewhere");
    expect(await composer(ann.page).inputValue()).toBe("");
    await ann.page.getByRole("link", { name: /# drafts/ }).click();
    await expect.poll(() => composer(ann.page).inputValue()).toBe("half a thought");
    await ann.page.reload();
    await expect.poll(() => composer(ann.page).inputValue()).toBe("half a thought");
    await (await openActions(ann.page, "root for a thread"))
      .getByRole("menuitem", { name: "Reply in thread" })
      .click();
    await expect.poll(() => threadBox.inputValue()).toBe("a thread draft");

    await composer(ann.page).press("Enter");
    await message(ann.page, "half a thought").waitFor();
    await ann.page.reload();
    await live(ann.page);
    await expect.poll(() => composer(ann.page).inputValue()).toBe("");
  });

  it("starts offline from the cached shell (the service worker), and never caches the API", async () => {
    const [ann] = [await person("ann")];
    await ann.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const cached = await ann.page.evaluate(async () => {
      const urls: string[] = [];
      for (const key of await caches.keys())
        for (const request of await (await caches.open(key)).keys()) urls.push(new URL(request.url).pathname);
      return urls;
    });
    expect(cached).toContain("/");
    expect(cached.some((path) => path.startsWith("/assets/index-"))).toBe(true);
    expect(cached.filter((path) => path.startsWith("/api"))).toEqual([]);

    // Offline, the page still starts (from the cached shell) and says it waits for the network; the
    // refresh cookie is kept, so when the network returns it signs back in by itself.
    await ann.context.setOffline(true);
    await ann.page.reload();
    await ann.page
      .getByRole("status")
      .getByText(/^You are offline\./)
      .waitFor();
    await ann.page.screenshot({ path: screenshotPath("offline-start.png") });
    await ann.context.setOffline(false);
    await ann.page.getByRole("navigation", { name: "Rooms" }).waitFor();
  });

  it("offers 'Continue as Alice' with DEMO_USERS=true, signing in a seeded person in one click", async () => {
    const seeded = await call(server, "POST", "/api/auth/register", {
      body: { username: "alice", password: "hubbub-demo-1", displayName: "Alice Liddell" },
    });
    expect(seeded.status).toBe(201);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    const demo = page.getByRole("region", { name: "Try it without signing up" });
    await demo.getByRole("button", { name: "Continue as Alice" }).waitFor();
    expect(await demo.getByRole("button").allTextContents()).toEqual(["Continue as Alice"]);
    await page.screenshot({ path: screenshotPath("demo-sign-in.png") });
    await demo.getByRole("button", { name: "Continue as Alice" }).click();
    await page.getByText("Welcome, Alice Liddell").waitFor();
    await context.close();
  });
});
