import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSocket } from "../shared/node-client.ts";
import { launchBrowser, screenshotPath } from "./browser.ts";
import { bubble, composer, focused, live, nativeDialogs, pages, send, submitSignUp } from "./pages.ts";
import { call, startTestServer, type TestServer } from "./server.ts";

// The web client as two people use it: two browser contexts against a real `wrangler dev`.

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const { signUp, createRoom, personOverApi } = pages(() => ({ server, browser }));

describe("the web client", () => {
  it("validates sign-up fields inline before asking the server", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await submitSignUp(page, server.url, "a!", "short");
    await page.getByText("3 to 32 letters, digits, _ . or -").waitFor();
    await page.getByText("At least 8 characters").waitFor();
    await context.close();
  });

  it("lets two people chat in a direct room: delivery, typing, read receipts, unread badges, history on reload", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");

    // Alice starts a direct chat with Bob and sends the first message.
    await alice.getByRole("button", { name: "New chat" }).click();
    await alice.getByLabel("Search people by username").fill("bob");
    await alice.getByRole("button", { name: "Message bob" }).click();
    await live(alice);
    await send(alice, "Hi Bob! <script>window.pwned = true</script> https://example.com/docs");
    await bubble(alice, "Hi Bob!").waitFor();

    // Bob, still on his room list, sees the room appear with an unread badge.
    const bobsRoom = bob.getByRole("link", { name: /alice/ });
    await bobsRoom.locator(".badge", { hasText: "1" }).waitFor();
    await bob.screenshot({ path: screenshotPath("desktop-unread-badge.png") });

    await bobsRoom.click();
    await live(bob);
    // The message is text, never HTML; the link is clickable and safe.
    const received = bubble(bob, "Hi Bob!");
    await expect(received.textContent()).resolves.toContain("<script>window.pwned = true</script>");
    expect(await bob.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined();
    const link = received.getByRole("link", { name: "https://example.com/docs" });
    expect(await link.getAttribute("rel")).toContain("noopener");
    // Opening the room reads it: the badge clears and Alice sees "Read".
    await bobsRoom.locator(".badge").waitFor({ state: "detached" });
    await alice.locator(".receipt.read", { hasText: "Read" }).waitFor();

    // Typing shows on the other side, then Bob's reply arrives.
    await composer(bob).fill("Hello Alice, typing…");
    await alice.getByText("bob is typing…").waitFor();
    await composer(bob).press("Enter");
    await bubble(alice, "Hello Alice, typing…").waitFor();
    await alice.getByText("bob is typing…").waitFor({ state: "detached" });
    await alice.screenshot({ path: screenshotPath("desktop-direct-room.png") });

    // History survives a reload.
    await bob.reload();
    await bubble(bob, "Hi Bob!").waitFor();
    await bubble(bob, "Hello Alice, typing…").waitFor();

    // On a phone the room fills the screen, with a way back to the list.
    await bob.setViewportSize({ width: 375, height: 740 });
    await bob.screenshot({ path: screenshotPath("phone-direct-room.png") });
    await bob.getByRole("button", { name: "Back to rooms" }).click();
    await bob.screenshot({ path: screenshotPath("phone-room-list.png") });
  });

  it("shows someone who joins while the room is open, by name and in the member count", async () => {
    const kim = await signUp("kim");
    const roomId = await createRoom(kim, "lobby");
    await kim.getByRole("button", { name: "Members (1)" }).waitFor();

    // Lee joins over the API while Kim looks at the room, and says hello.
    const lee = await call(server, "POST", "/api/auth/register", {
      body: { username: "lee", password: "correct horse battery", displayName: "Lee" },
    });
    const token = String(lee.body?.accessToken);
    expect((await call(server, "POST", `/api/rooms/${roomId}/join`, { token })).status).toBe(200);
    await call(server, "POST", `/api/rooms/${roomId}/messages`, { token, body: { body: "hello lobby" } });

    await bubble(kim, "hello lobby").waitFor();
    await kim.getByRole("button", { name: "Members (2)" }).waitFor();
    const author = kim.locator(".message", { hasText: "hello lobby" }).locator(".author");
    expect(await author.textContent()).toBe("Lee");
  });

  it("edits and deletes your own message from the keyboard, through a labelled actions menu", async () => {
    const pia = await signUp("pia");
    const boxes = nativeDialogs(pia);
    await createRoom(pia, "keys");
    await send(pia, "first draft");
    await bubble(pia, "first draft").waitFor();

    // One labelled button per message opens a menu: arrows move, Escape closes and gives focus back.
    const actions = pia.getByRole("button", { name: "Message actions" });
    await actions.focus();
    await pia.keyboard.press("Enter");
    const menu = pia.getByRole("menu", { name: "Message actions" });
    expect(await menu.getByRole("menuitem").allTextContents()).toEqual([
      "Add reaction",
      "Reply",
      "Reply in thread",
      "Pin",
      "Edit",
      "Delete",
    ]);
    await expect.poll(() => focused(pia)).toBe("Add reaction");
    await pia.screenshot({ path: screenshotPath("desktop-message-actions.png") });
    await pia.keyboard.press("End");
    await expect.poll(() => focused(pia)).toBe("Delete");
    await pia.keyboard.press("ArrowDown");
    await expect.poll(() => focused(pia)).toBe("Add reaction");
    await pia.keyboard.press("ArrowUp");
    await expect.poll(() => focused(pia)).toBe("Delete");
    await pia.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    await expect.poll(() => focused(pia)).toBe("Message actions");

    // Edit: ↑ opens the menu on its last item, ↑ again is "Edit", Enter starts editing in the composer.
    await pia.keyboard.press("ArrowUp");
    await pia.keyboard.press("ArrowUp");
    await expect.poll(() => focused(pia)).toBe("Edit");
    await pia.keyboard.press("Enter");
    await pia.getByText("Editing your message").waitFor();
    await composer(pia).fill("final text");
    await composer(pia).press("Enter");
    await bubble(pia, "final text").locator(".edited").waitFor();

    // A refused edit is said in the app's own alert region.
    await pia.route("**/api/rooms/*/messages/*", (route) =>
      route.request().method() === "PATCH"
        ? route.fulfill({
            status: 403,
            json: { error: { code: "forbidden", message: "You cannot edit this message." } },
          })
        : route.continue(),
    );
    await actions.focus();
    await pia.keyboard.press("ArrowUp");
    await pia.keyboard.press("ArrowUp");
    await expect.poll(() => focused(pia)).toBe("Edit");
    await pia.keyboard.press("Enter");
    await pia.getByText("Editing your message").waitFor();
    await composer(pia).fill("refused text");
    await composer(pia).press("Enter");
    await pia
      .getByRole("alert")
      .filter({ hasText: "Could not edit the message: You cannot edit this message." })
      .waitFor();
    await pia.unrouteAll();

    // Delete: ↑ opens the menu on its last item; the app's own dialog asks first, Cancel focused.
    await actions.focus();
    await pia.keyboard.press("ArrowUp");
    await expect.poll(() => focused(pia)).toBe("Delete");
    await pia.keyboard.press("Enter");
    await pia.getByRole("alertdialog", { name: "Delete message" }).waitFor();
    await expect.poll(() => focused(pia)).toBe("Cancel");
    await pia.keyboard.press("Tab");
    await expect.poll(() => focused(pia)).toBe("Delete");
    await pia.keyboard.press("Enter");
    await pia.getByText("This message was deleted").waitFor();
    expect(await actions.count()).toBe(0);
    expect(boxes).toEqual([]);
  });

  it("lets owners delete anyone's message, and gives receipts and typing words a screen reader says", async () => {
    const mia = await signUp("mia");
    const boxes = nativeDialogs(mia);
    const roomId = await createRoom(mia, "crew");
    const [ned, ola] = await Promise.all([personOverApi("ned"), personOverApi("ola")]);
    for (const { token } of [ned, ola]) await call(server, "POST", `/api/rooms/${roomId}/join`, { token });

    // Both read Mia's message: her receipt says so in words, the ticks are only for the eye.
    await send(mia, "standup at ten");
    await bubble(mia, "standup at ten").waitFor();
    const history = await call(server, "GET", `/api/rooms/${roomId}/messages`, { token: ned.token });
    const seqs = (history.body?.messages as { seq: number }[] | undefined)?.map((m) => m.seq) ?? [];
    for (const { token } of [ned, ola]) {
      await call(server, "POST", `/api/rooms/${roomId}/read`, { token, body: { seq: Math.max(...seqs) } });
    }
    const receipt = mia.locator(".receipt.read", { hasText: "Read by 2" });
    await receipt.waitFor();
    expect(await receipt.ariaSnapshot()).toBe("- text: Read by 2");

    // Typing is a live status line.
    const socket = await openSocket(
      `${server.url.replace("http", "ws")}/api/rooms/${roomId}/ws?token=${ned.token}`,
    );
    socket.send({ type: "typing", typing: true });
    await mia.getByRole("status").filter({ hasText: "ned is typing…" }).waitFor();
    socket.ws.close();

    // Ned's message: as the owner, Mia may delete it (not edit it) or report it, from its actions menu.
    await call(server, "POST", `/api/rooms/${roomId}/messages`, {
      token: ned.token,
      body: { body: "off topic" },
    });
    await mia
      .locator(".message", { hasText: "off topic" })
      .getByRole("button", { name: "Message actions" })
      .click();
    expect(await mia.getByRole("menu").getByRole("menuitem").allTextContents()).toEqual([
      "Add reaction",
      "Reply",
      "Reply in thread",
      "Pin",
      "Report…",
      "Delete",
    ]);
    await mia.getByRole("menuitem", { name: "Delete" }).click();
    await mia
      .getByRole("alertdialog", { name: "Delete message" })
      .getByRole("button", { name: "Delete" })
      .click();
    await mia.getByText("This message was deleted").waitFor();
    expect(boxes).toEqual([]);
  });

  it("names each Join button in the Browse dialog after its room", async () => {
    const owner = await personOverApi("rhea");
    for (const name of ["garden", "kitchen"]) {
      await call(server, "POST", "/api/rooms", { token: owner.token, body: { name, kind: "public" } });
    }
    const sam = await signUp("sam");
    await sam.getByRole("button", { name: "Browse", exact: true }).click();
    const browse = sam.getByRole("dialog", { name: "Browse public rooms" });
    await browse.getByRole("button", { name: "Join # garden" }).waitFor();
    await browse.getByRole("button", { name: "Join # kitchen" }).click();
    await live(sam);
    await sam.getByRole("heading", { name: "# kitchen" }).waitFor();
  });

  it("shows the other person in a direct room's header, not a member count of two", async () => {
    const tess = await signUp("tess");
    await personOverApi("uma");
    await tess.getByRole("button", { name: "New chat" }).click();
    await tess.getByLabel("Search people by username").fill("uma");
    await tess.getByRole("button", { name: "Message uma" }).click();
    await live(tess);
    expect(await tess.getByRole("button", { name: /Members/ }).count()).toBe(0);
    await tess.getByRole("button", { name: "Profile of uma" }).click();
    await tess.getByRole("complementary", { name: "Profile of uma" }).getByText("@uma").waitFor();
    await tess.screenshot({ path: screenshotPath("desktop-direct-profile.png") });
  });

  it("keeps a room's name whole in the header of a 375 px phone", async () => {
    const vic = await signUp("vic");
    await vic.setViewportSize({ width: 375, height: 740 });
    await createRoom(vic, "weekend-planning");
    const title = vic.getByRole("heading", { level: 1, name: "# weekend-planning" });
    expect(await title.evaluate((heading) => heading.scrollWidth <= heading.clientWidth)).toBe(true);
    const members = await vic.getByRole("button", { name: "Members (1)" }).boundingBox();
    expect(members?.width).toBeLessThan(375 / 6);
    await vic.screenshot({ path: screenshotPath("phone-room-header.png") });
  });

  it("puts a short conversation at the bottom, next to the composer", async () => {
    const wren = await signUp("wren");
    await createRoom(wren, "quiet");
    await send(wren, "just one line");
    await bubble(wren, "just one line").waitFor();
    const messages = await wren.locator(".messages").boundingBox();
    const composerBox = await wren.locator(".composer").boundingBox();
    const gap = (composerBox?.y ?? 0) - ((messages?.y ?? 0) + (messages?.height ?? 0));
    // Between them: the timeline's padding and the (empty) typing line, nothing more.
    expect(gap).toBeLessThan(48);
    await wren.screenshot({ path: screenshotPath("desktop-short-conversation.png") });
  });

  it("on a phone, makes the room list the page's main landmark, with a heading", async () => {
    const yara = await signUp("yara");
    await yara.setViewportSize({ width: 375, height: 740 });
    const main = yara.getByRole("main");
    await main.getByRole("navigation", { name: "Rooms" }).waitFor();
    await main.getByRole("heading", { level: 1, name: "Hubbub" }).waitFor();
    await yara.screenshot({ path: screenshotPath("phone-room-list-main.png") });
    // On a wide screen the list is a navigation beside the main pane again.
    await yara.setViewportSize({ width: 1200, height: 780 });
    await yara.getByRole("main").getByRole("heading", { level: 1, name: "Welcome, yara" }).waitFor();
    expect(await yara.getByRole("main").getByRole("navigation").count()).toBe(0);
  });

  it("reconnects after the server restarts mid-conversation, losing and doubling nothing", async () => {
    const carol = await signUp("carol");
    const dave = await signUp("dave");
    await carol.getByRole("button", { name: "New chat" }).click();
    await carol.getByLabel("Search people by username").fill("dave");
    await carol.getByRole("button", { name: "Message dave" }).click();
    await live(carol);
    await send(carol, "before the restart");
    await dave.getByRole("link", { name: /carol/ }).click();
    await live(dave);
    await bubble(dave, "before the restart").waitFor();

    // Watch for the drop before restarting: the client may be live again by the time restart() returns.
    const noticed = carol.locator('.room:not([data-connection="live"])').waitFor();
    await server.restart();
    await noticed;
    await live(carol);
    await live(dave);
    await send(carol, "after the restart");
    await send(dave, "dave after the restart");
    await bubble(dave, "after the restart").first().waitFor();
    await bubble(carol, "dave after the restart").waitFor();

    for (const page of [carol, dave]) {
      const bodies = await page.locator(".message:not(.pending) .bubble").allTextContents();
      expect(bodies).toEqual(["before the restart", "after the restart", "dave after the restart"]);
      expect(await page.locator(".message.pending").count()).toBe(0);
    }
  });

  it("pages back through history as you scroll up, showing each message once and in order", async () => {
    // 120 messages from six people (each within the per-connection burst), sent over the API.
    const people = await Promise.all(
      ["erin", "finn", "gus", "hana", "ivan", "joy"].map(async (username) => {
        const reply = await call(server, "POST", "/api/auth/register", {
          body: { username, password: "correct horse battery" },
        });
        return (reply.body as { accessToken: string }).accessToken;
      }),
    );
    const [owner = ""] = people;
    const room = await call(server, "POST", "/api/rooms", {
      token: owner,
      body: { name: "history", kind: "public" },
    });
    const roomId = String(room.body?.id);
    for (const token of people.slice(1)) await call(server, "POST", `/api/rooms/${roomId}/join`, { token });
    for (let round = 0; round < 20; round++) {
      for (const [index, token] of people.entries()) {
        const number = round * people.length + index + 1;
        const sent = await call(server, "POST", `/api/rooms/${roomId}/messages`, {
          token,
          body: { body: `message number ${number}` },
        });
        expect(sent.status).toBe(201);
      }
    }

    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/rooms/${roomId}`);
    await page.getByLabel("Username").fill("erin");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in" }).last().click();
    await bubble(page, "message number 120").waitFor();
    const beginning = page.getByText("This is the beginning of # history.");
    for (let attempt = 0; attempt < 20 && !(await beginning.isVisible()); attempt++) {
      await page.locator(".timeline").evaluate((element) => {
        element.scrollTop = 0;
      });
      await page.waitForFunction(
        () => !document.querySelector(".timeline")?.textContent?.includes("Loading older messages"),
      );
    }
    const bodies = await page.locator(".message:not(.pending) .bubble").allTextContents();
    expect(bodies).toEqual(Array.from({ length: 120 }, (_, index) => `message number ${index + 1}`));
    await context.close();
  });
});
