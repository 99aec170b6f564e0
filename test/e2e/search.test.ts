import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "../../scripts/pool.ts";
import { launchBrowser, screenshotPath } from "./browser.ts";
import { composer, submitSignUp } from "./pages.ts";
import { call, startTestServer, type TestServer } from "./server.ts";

// Search as people use it: two people in two browser contexts against a real `wrangler dev`. One
// says something worth finding, the room moves on, the other finds it with Ctrl+K, opens it in its
// context, highlighted, and pages down from there to the live end.

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // 120 fillers from four people as fast as the machine allows: on a fast one that passes the burst of
  // 20 a person; the message limit, which has tests of its own, is raised for this server.
  [server, browser] = await Promise.all([startTestServer({ MESSAGE_BURST: "1000" }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

async function signUp(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 780 } });
  contexts.push(context);
  const page = await context.newPage();
  await submitSignUp(page, server.url, username);
  await page.getByText(`Welcome, ${username}`).waitFor();
  return page;
}

const bubble = (page: Page, text: string) =>
  page.locator(".message:not(.pending) .bubble", { hasText: text });
const live = (page: Page) => page.locator('.room[data-connection="live"]').waitFor();

/** Someone who talks over the API, as a bot or curl would. */
async function apiPerson(username: string): Promise<string> {
  const reply = await call(server, "POST", "/api/auth/register", {
    body: { username, password: "correct horse battery" },
  });
  return String(reply.body?.accessToken);
}

/** Whether the element is inside its scrolling timeline's visible part. */
function inView(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((css) => {
    const element = document.querySelector(css);
    const timeline = element?.closest(".timeline");
    if (!element || !timeline) return false;
    const [box, frame] = [element.getBoundingClientRect(), timeline.getBoundingClientRect()];
    return box.top >= frame.top && box.bottom <= frame.bottom;
  }, selector);
}

describe("search in the web client", () => {
  it("finds what was said with Ctrl+K and opens it highlighted in context, then pages down to the live end", async () => {
    const bob = await signUp("bob");
    await bob.getByRole("button", { name: "New room" }).click();
    await bob.getByLabel("Name").fill("garden");
    await bob.getByRole("button", { name: "Create room" }).click();
    await live(bob);
    const roomId = new URL(bob.url()).pathname.split("/").at(-1) ?? "";

    const alice = await signUp("alice");
    await alice.getByRole("button", { name: "Browse", exact: true }).click();
    await alice.getByRole("button", { name: "Join # garden" }).click();
    await live(alice);

    // Bob says something worth finding; then the room moves on by 120 messages, so that the page
    // around it (50) and the newest page (50) leave a gap between them.
    await composer(bob).fill("The Café order: periwinkle seeds and two rakes");
    await composer(bob).press("Enter");
    await bubble(alice, "periwinkle").waitFor();
    const chatty = await Promise.all(["carol", "dave", "erin", "finn"].map(apiPerson));
    await pool(chatty, 4, async (token) => {
      expect((await call(server, "POST", `/api/rooms/${roomId}/join`, { token })).status).toBe(200);
    });
    await pool(
      Array.from({ length: 120 }, (_, n) => n + 1),
      4,
      async (n) => {
        const token = chatty[n % chatty.length] as string;
        const body = { body: `filler message number ${n}`, clientId: `filler-${n}` };
        const reply = await call(server, "POST", `/api/rooms/${roomId}/messages`, { token, body });
        expect(reply.status).toBe(201);
      },
    );
    // 120 messages fanned out to two browsers: slow only when the machine is shared.
    await bubble(alice, "filler message number 120").waitFor({ timeout: 90_000 });
    await alice.getByRole("link", { name: /garden/ }).waitFor();
    await alice.goto(server.url); // leave the room: the result must open it
    await alice.getByText("Welcome, alice").waitFor();

    // Ctrl+K, a prefix with its accent folded away: the result, grouped under its room, marked.
    await alice.keyboard.press("Control+k");
    const search = alice.getByRole("combobox", { name: "Search messages" });
    await expect
      .poll(() => alice.evaluate(() => document.activeElement?.getAttribute("role")))
      .toBe("combobox");
    await search.fill("cafe periwink");
    const result = alice.getByRole("option").filter({ hasText: "periwinkle" });
    await result.waitFor();
    expect(await alice.locator(".search-room").allTextContents()).toEqual(["# garden"]);
    expect(await result.locator("mark").allTextContents()).toEqual(["Café", "periwinkle"]);
    expect(await result.getAttribute("aria-selected")).toBe("true");
    await result.locator(".author", { hasText: "bob" }).waitFor();
    await alice.screenshot({ path: screenshotPath("desktop-search-results.png") });

    // Enter opens it through the room's own jump: the page around that message, scrolled to it,
    // focused (and highlighted for a moment), with the newest messages past a gap.
    await alice.keyboard.press("Enter");
    await live(alice);
    const found = alice.locator(".message", { hasText: "periwinkle" });
    await found.waitFor();
    const seq = await found.getAttribute("data-seq");
    await expect.poll(() => alice.evaluate(() => document.activeElement?.getAttribute("data-seq"))).toBe(seq);
    await expect.poll(() => inView(alice, `.message[data-seq="${seq}"]`)).toBe(true);
    await alice.screenshot({ path: screenshotPath("desktop-search-jumped.png") });
    await alice.getByRole("button", { name: /Jump to the newest messages/ }).waitFor();
    expect(await bubble(alice, "filler message number 120").count()).toBe(0); // past the gap: paged on demand

    // Paging down from there meets the live end; Bob's next message then arrives as usual.
    const newestShown = () =>
      alice
        .locator(".message[data-seq]")
        .evaluateAll((items) => Math.max(...items.map((item) => Number(item.getAttribute("data-seq")))));
    for (let pages = 0; pages < 10 && (await newestShown()) < 121; pages++) {
      const before = await newestShown();
      await alice.locator(".timeline").evaluate((timeline) => {
        timeline.scrollTop = timeline.scrollHeight;
      });
      await expect
        .poll(newestShown, { timeout: 15_000, message: "a newer page below" })
        .toBeGreaterThan(before);
    }
    await bubble(alice, "filler message number 120").waitFor();
    await alice.getByRole("button", { name: /Jump to the newest messages/ }).waitFor({ state: "detached" });
    const seqs = await alice
      .locator(".message[data-seq]")
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-seq"))));
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b)); // each once, in order
    expect(seqs.at(-1)).toBe(121);
    await composer(bob).fill("and a watering can");
    await composer(bob).press("Enter");
    await bubble(alice, "and a watering can").waitFor();
  }, 180_000); // six people and 120 messages through a real server: generous when the machine is shared

  it("says what was searched when nothing matches, and why a query is not one", async () => {
    const kim = await signUp("kim");
    await kim.getByRole("button", { name: "New room" }).click();
    await kim.getByLabel("Name").fill("notes");
    await kim.getByRole("button", { name: "Create room" }).click();
    await live(kim);
    await composer(kim).fill("nothing about animals here");
    await composer(kim).press("Enter");
    await bubble(kim, "nothing about animals").waitFor();
    await kim.getByRole("button", { name: "Search messages" }).click();
    const search = kim.getByRole("combobox", { name: "Search messages" });
    await search.fill('"unbalanced');
    await kim.getByText("This search has an unbalanced quote").waitFor();
    await search.fill("zebra");
    await kim.getByText("No messages match “zebra” in your 1 room.").waitFor();
    await kim.screenshot({ path: screenshotPath("desktop-search-empty.png") });
  });
});
