import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotPath } from "./browser.ts";
import { bubble, DESKTOP, focused, live, nativeDialogs, PASSWORD, PHONE, pages, send } from "./pages.ts";
import { call, startTestServer, type TestServer } from "./server.ts";

// Moderation in the web client, as two or three people use it against a real `wrangler dev`: an
// owner bans, mutes and hands the room over from a member's menu, a member reports a message and
// the owner hears of it at once, the audit log says what happened, and blocking in a direct room.

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

const membersPanel = (page: Page) => page.getByRole("complementary", { name: "Members" });
const menuOf = (page: Page, name: string) =>
  membersPanel(page).getByRole("button", { name: `Actions for ${name}` });
const menuItems = (page: Page) => page.getByRole("menu").getByRole("menuitem").allTextContents();
const notice = (page: Page, text: string | RegExp) =>
  page.locator(".toasts").getByRole("status").filter({ hasText: text });
// A time of day as the page's locale writes it ("11:05 PM", "23:05"), never the server's ISO form.
const CLOCK = /\d{1,2}:\d{2}/;
const ISO = /\d{4}-\d{2}-\d{2}T/;

const hasFocus = (element: Locator) => element.evaluate((node) => node === document.activeElement);

async function openMembers(page: Page, count: number) {
  await page.getByRole("button", { name: `Members (${count})` }).click();
  await membersPanel(page).waitFor();
}

async function joinFromBrowse(page: Page, roomName: string) {
  await page.getByRole("button", { name: "Browse", exact: true }).click();
  const browse = page.getByRole("dialog", { name: "Browse public rooms" });
  await browse.getByLabel("Search rooms").fill(roomName);
  await browse.getByRole("button", { name: `Join # ${roomName}` }).click();
  await live(page);
}

/** A second session of someone signed up in a browser, for API calls the test makes as them. */
async function tokenOf(username: string): Promise<string> {
  const reply = await call(server, "POST", "/api/auth/login", { body: { username, password: PASSWORD } });
  return String(reply.body?.accessToken);
}

async function openSettings(page: Page) {
  await page.getByRole("button", { name: "Room settings" }).click();
  const settings = page.getByRole("dialog", { name: "Room settings" });
  await settings.waitFor();
  return settings;
}

describe("moderation in the web client", () => {
  it("bans a member from the member menu, by keyboard: their screen says so and joining again is refused", async () => {
    const ann = await signUp("ann");
    const boxes = nativeDialogs(ann);
    await createRoom(ann, "town-square");
    const ben = await signUp("ben");
    await joinFromBrowse(ben, "town-square");
    await openMembers(ann, 2);

    // The menu button is labelled after the member; ↑ ↓ Home End move, Escape gives the focus back.
    await menuOf(ann, "ben").focus();
    await ann.keyboard.press("Enter");
    await expect
      .poll(() => menuItems(ann))
      .toEqual(["Make admin", "Make owner…", "Remove from room", "Ban…", "Mute…", "Block…"]);
    await expect.poll(() => focused(ann)).toBe("Make admin");
    await ann.screenshot({ path: screenshotPath("desktop-member-menu.png") });
    await ann.keyboard.press("ArrowUp");
    await expect.poll(() => focused(ann)).toBe("Block…");
    await ann.keyboard.press("ArrowDown");
    await expect.poll(() => focused(ann)).toBe("Make admin");
    await ann.keyboard.press("End");
    await expect.poll(() => focused(ann)).toBe("Block…");
    await ann.keyboard.press("Home");
    await expect.poll(() => focused(ann)).toBe("Make admin");
    await ann.keyboard.press("Escape");
    await ann.getByRole("menu").waitFor({ state: "detached" });
    await expect.poll(() => focused(ann)).toBe("Actions for ben");
    // Nobody has a menu on themselves, so Ann's own row has none.
    expect(await menuOf(ann, "ann").count()).toBe(0);

    // On a phone the panel covers the room, and the menu and the dialog still fit.
    await ann.setViewportSize(PHONE);
    await ann.keyboard.press("Enter");
    await expect.poll(() => focused(ann)).toBe("Make admin");
    await ann.screenshot({ path: screenshotPath("phone-member-menu.png") });
    for (let step = 0; step < 3; step++) await ann.keyboard.press("ArrowDown");
    await expect.poll(() => focused(ann)).toBe("Ban…");
    await ann.keyboard.press("Enter");
    const dialog = ann.getByRole("dialog", { name: "Ban ben" });
    await dialog.waitFor();
    await expect.poll(() => hasFocus(dialog.getByLabel("Reason (optional)"))).toBe(true);
    await ann.keyboard.type("spam");
    await dialog.getByLabel("1 hour").check();
    await ann.screenshot({ path: screenshotPath("phone-ban-dialog.png") });
    await ann.setViewportSize(DESKTOP);
    await ann.screenshot({ path: screenshotPath("desktop-ban-dialog.png") });
    await dialog.getByRole("button", { name: "Ban" }).click();

    // Ann hears it done; Ben's row goes, and the focus comes to the panel rather than the page.
    await notice(ann, "ben is banned from the room for 1 hour.").waitFor();
    await ann.getByRole("button", { name: "Members (1)" }).waitFor();
    await expect.poll(() => focused(ann)).toBe("Members (1)");

    // Ben is told at once, and joining again is refused with the server's reason, in his own time.
    await ben.getByText("You were banned from this room.").waitFor();
    await ben.getByRole("button", { name: "Back to your rooms" }).click();
    await joinFromBrowseRefused(ben, "town-square", "ann");
    expect(boxes).toEqual([]);
  });

  it("mutes a member: their send is refused with a readable reason, until the mute is ended in the settings", async () => {
    const kai = await signUp("kai");
    await createRoom(kai, "quiet-corner");
    const cyd = await signUp("cyd");
    await joinFromBrowse(cyd, "quiet-corner");
    await openMembers(kai, 2);
    await menuOf(kai, "cyd").click();
    await kai.getByRole("menuitem", { name: "Mute…" }).click();
    const dialog = kai.getByRole("dialog", { name: "Mute cyd" });
    await expect.poll(() => hasFocus(dialog.getByLabel("10 minutes"))).toBe(true);
    await dialog.getByRole("button", { name: "Mute" }).click();
    await notice(kai, "cyd is muted for 10 minutes.").waitFor();

    await send(cyd, "let me speak");
    const refused = cyd.locator(".message.pending.failed .receipt");
    await refused.waitFor();
    const reason = (await refused.textContent()) ?? "";
    expect(reason).toMatch(/^Not sent: You are muted in this room until /);
    expect(reason).toMatch(CLOCK);
    expect(reason).not.toMatch(ISO);
    expect(reason).not.toContain("..");
    await cyd.screenshot({ path: screenshotPath("desktop-muted-send.png") });

    // The mute is listed in the room's settings, where Kai ends it; then Cy's retry goes through.
    const settings = await openSettings(kai);
    await settings.getByRole("tab", { name: "Mutes" }).click();
    await settings.getByText(/^by kai, .* · until /).waitFor();
    await settings.getByRole("button", { name: "End the mute of cyd" }).click();
    await settings.getByRole("status").filter({ hasText: "The mute of cyd has ended." }).waitFor();
    await settings.getByText("Nobody is muted in this room.").waitFor();
    await cyd.getByRole("button", { name: "Retry" }).click();
    await bubble(kai, "let me speak").waitFor();
  });

  it("hands the room over: both screens show the new owner, and the old one is an admin", async () => {
    const lea = await signUp("lea");
    const boxes = nativeDialogs(lea);
    await createRoom(lea, "hand-over");
    const dee = await signUp("dee");
    await joinFromBrowse(dee, "hand-over");
    await openMembers(lea, 2);
    await openMembers(dee, 2);
    expect(await dee.getByRole("button", { name: "Room settings" }).count()).toBe(0);

    await menuOf(lea, "dee").click();
    await lea.getByRole("menuitem", { name: "Make owner…" }).click();
    const confirm = lea.getByRole("alertdialog", { name: "Make dee the owner" });
    await expect.poll(() => focused(lea)).toBe("Cancel");
    await confirm.getByRole("button", { name: "Make owner" }).click();
    await notice(lea, "dee is now the owner.").waitFor();

    const row = (page: Page, name: string) =>
      membersPanel(page).getByRole("listitem").filter({ hasText: name });
    for (const page of [lea, dee]) {
      await row(page, "dee").getByText("· owner").waitFor();
      await row(page, "lea").getByText("· admin").waitFor();
    }
    // Lea is an admin now: she may no longer act on the owner (only block her), and Dee sees the
    // room's settings, which are hers now.
    await menuOf(lea, "dee").click();
    await expect.poll(() => menuItems(lea)).toEqual(["Block…"]);
    await lea.keyboard.press("Escape");
    await dee.getByRole("button", { name: "Room settings" }).waitFor();
    await lea.getByRole("button", { name: "Room settings" }).waitFor();
    expect(boxes).toEqual([]);
  });

  it("lets a member report a message: the owner hears of it at once and finds it in the settings", async () => {
    const moe = await signUp("moe");
    const roomId = await createRoom(moe, "reports-room");
    const eve = await signUp("eve");
    await joinFromBrowse(eve, "reports-room");
    await send(moe, "meet at noon");
    await bubble(eve, "meet at noon").waitFor();

    // Anyone but the author may report it; the dialog asks why.
    await eve
      .locator(".message", { hasText: "meet at noon" })
      .getByRole("button", { name: "Message actions" })
      .click();
    expect(await menuItems(eve)).toEqual(["Add reaction", "Reply", "Reply in thread", "Report…"]);
    await eve.getByRole("menuitem", { name: "Report…" }).click();
    const dialog = eve.getByRole("dialog", { name: "Report message" });
    await dialog.getByRole("button", { name: "Report" }).click();
    await dialog.getByRole("alert").filter({ hasText: "Say what is wrong with the message." }).waitFor();
    await dialog.getByLabel("Reason").fill("rude");
    await dialog.getByRole("button", { name: "Report" }).click();
    await notice(eve, "Thank you: the room's owners and admins have been told.").waitFor();

    // Mo, the owner, is told live, and the report is in the room's settings with its message.
    await notice(
      moe,
      "Someone reported a message in # reports-room. Room settings → Reports lists it.",
    ).waitFor();
    const settings = await openSettings(moe);
    const report = settings.getByRole("listitem").filter({ hasText: "reported message #1" });
    await report.getByText("Reason: “rude”").waitFor();
    await report.locator(".quoted", { hasText: "meet at noon" }).waitFor();
    await moe.screenshot({ path: screenshotPath("desktop-settings-reports.png") });
    await moe.setViewportSize(PHONE);
    await moe.screenshot({ path: screenshotPath("phone-settings-reports.png") });
    await moe.setViewportSize(DESKTOP);
    await report.getByRole("button", { name: "Show message #1 in the timeline" }).click();
    await settings.waitFor({ state: "detached" });
    const focusedSeq = () =>
      moe.evaluate(() =>
        document.activeElement instanceof HTMLElement ? document.activeElement.dataset.seq : "",
      );
    await expect.poll(focusedSeq).toBe("1");

    // Once the message is further back than the timeline holds, the report still shows its text.
    const talkers = await Promise.all(["nia", "oto", "pam"].map((name) => personOverApi(name)));
    for (const { token } of talkers) await call(server, "POST", `/api/rooms/${roomId}/join`, { token });
    for (let round = 0; round < 18; round++) {
      for (const { token } of talkers) {
        const sent = await call(server, "POST", `/api/rooms/${roomId}/messages`, {
          token,
          body: { body: `filler ${round}` },
        });
        expect(sent.status).toBe(201);
      }
    }
    await moe.reload();
    await bubble(moe, "filler 17").first().waitFor();
    const again = await openSettings(moe);
    const older = again.getByRole("listitem").filter({ hasText: "reported message #1" });
    await older.locator(".quoted", { hasText: "meet at noon" }).waitFor();
    await older
      .getByText("Further back than the timeline has loaded: scroll up to #1 to see it in place.")
      .waitFor();
  });

  it("writes the audit log in sentences, newest first, a page at a time", async () => {
    const rae = await signUp("rae");
    const roomId = await createRoom(rae, "audit-room");
    const token = await tokenOf("rae");
    const [sid, tom] = await Promise.all([personOverApi("sid"), personOverApi("tom")]);
    for (const person of [sid, tom])
      await call(server, "POST", `/api/rooms/${roomId}/join`, { token: person.token });
    const moderate = async (method: string, path: string, body?: unknown) => {
      const reply = await call(server, method, `/api/rooms/${roomId}${path}`, { token, body });
      expect(reply.status, `${method} ${path}`).toBeLessThan(300);
    };
    await moderate("POST", "/bans", { userId: sid.id, reason: "spam" });
    await moderate("PATCH", `/members/${tom.id}`, { role: "admin" });
    // Enough entries for a second page (the client asks for 25 at a time).
    for (let round = 0; round < 13; round++) {
      await moderate("POST", "/mutes", { userId: tom.id, minutes: 10 });
      await moderate("DELETE", `/mutes/${tom.id}`);
    }

    const settings = await openSettings(rae);
    // The tabs are one tab stop: End selects the last one, the audit log.
    await settings.getByRole("tab", { name: "Reports" }).focus();
    await rae.keyboard.press("End");
    await expect.poll(() => focused(rae)).toBe("Audit log");
    const log = settings.getByRole("list", { name: "Audit log, newest first" });
    const entries = log.getByRole("listitem");
    await expect.poll(() => entries.count()).toBe(25);
    expect(await entries.first().textContent()).toMatch(
      /^rae ended the mute of tom · (just now|\d+ min ago)$/,
    );
    expect(await entries.nth(1).textContent()).toMatch(/^rae muted tom for 10 minutes · /);
    await rae.screenshot({ path: screenshotPath("desktop-settings-audit.png") });
    await rae.setViewportSize(PHONE);
    await rae.screenshot({ path: screenshotPath("phone-settings-audit.png") });
    await rae.setViewportSize(DESKTOP);

    await settings.getByRole("button", { name: "Show older" }).click();
    await expect.poll(() => entries.count()).toBe(28);
    // Sid is no longer a member (banned), yet is named; every name is isolated in a <bdi>.
    expect(await entries.nth(26).textContent()).toMatch(/^rae made tom an admin · /);
    await expect
      .poll(() => entries.nth(27).textContent())
      .toMatch(/^rae banned sid \(spam\) · (just now|\d+ min ago)$/);
    expect(await entries.nth(27).locator("bdi").allTextContents()).toEqual(["rae", "sid", "spam"]);
    await expect.poll(() => focused(rae)).toContain("rae muted tom");
    expect(await settings.getByRole("button", { name: "Show older" }).count()).toBe(0);

    await settings.getByRole("tab", { name: "Bans" }).click();
    await settings.getByText(/^by rae, .* · until lifted · “spam”$/).waitFor();
    await rae.setViewportSize(PHONE);
    await rae.screenshot({ path: screenshotPath("phone-settings-bans.png") });
  });

  it("blocks someone from a direct room's profile: their message is refused until unblocked", async () => {
    const gwen = await signUp("gwen");
    const boxes = nativeDialogs(gwen);
    const hugo = await signUp("hugo");
    await gwen.getByRole("button", { name: "New chat" }).click();
    await gwen.getByLabel("Search people by username").fill("hugo");
    await gwen.getByRole("button", { name: "Message hugo" }).click();
    await live(gwen);
    await send(gwen, "hi hugo");
    await hugo.getByRole("link", { name: /gwen/ }).click();
    await live(hugo);
    await bubble(hugo, "hi hugo").waitFor();
    // A direct room has no moderators: no report, no delete of the other's message (only what any
    // conversation offers: react, reply, pin), no settings; the profile offers to block.
    await hugo
      .locator(".message", { hasText: "hi hugo" })
      .getByRole("button", { name: "Message actions" })
      .click();
    expect(await menuItems(hugo)).toEqual(["Add reaction", "Reply", "Reply in thread", "Pin"]);
    await hugo.keyboard.press("Escape");
    expect(await gwen.getByRole("button", { name: "Room settings" }).count()).toBe(0);

    await gwen.getByRole("button", { name: "Profile of hugo" }).click();
    const profile = gwen.getByRole("complementary", { name: "Profile of hugo" });
    await profile.getByRole("button", { name: "Block…" }).click();
    const confirm = gwen.getByRole("alertdialog", { name: "Block hugo" });
    await confirm.getByRole("button", { name: "Block" }).click();
    await profile.getByText("You blocked them.").waitFor();
    await notice(gwen, "You blocked hugo.").waitFor();
    await gwen.screenshot({ path: screenshotPath("desktop-peer-blocked.png") });

    await send(hugo, "hello?");
    const refused = hugo.locator(".message.pending.failed .receipt");
    await refused.getByText("Not sent: You cannot message this person.").waitFor();
    await hugo.setViewportSize(PHONE);
    await hugo.screenshot({ path: screenshotPath("phone-blocked-send.png") });

    // Gwen's profile lists whom she blocked; unblocking there lets Hugo's retry through.
    await gwen.getByRole("button", { name: "Edit profile" }).click();
    const dialog = gwen.getByRole("dialog", { name: "Your profile" });
    await dialog.getByRole("button", { name: "Unblock hugo" }).click();
    await dialog.getByRole("status").filter({ hasText: "You unblocked hugo." }).waitFor();
    await dialog.getByText("You have not blocked anyone.").waitFor();
    await gwen.screenshot({ path: screenshotPath("desktop-profile-blocked-people.png") });
    await expect.poll(() => focused(gwen)).toBe("Blocked people");
    await dialog.getByRole("button", { name: "Close" }).click();
    await profile.getByRole("button", { name: "Block…" }).waitFor();
    await hugo.getByRole("button", { name: "Retry" }).click();
    await bubble(gwen, "hello?").waitFor();
    expect(boxes).toEqual([]);
  });
});

/**
 * Ben looks for the room he was banned from: Browse does not offer it (discover lists the rooms the
 * caller can join), and joining it anyway is refused with the server's reason and its end.
 */
async function joinFromBrowseRefused(page: Page, roomName: string, owner: string) {
  await page.getByRole("button", { name: "Browse", exact: true }).click();
  const browse = page.getByRole("dialog", { name: "Browse public rooms" });
  await browse.getByLabel("Search rooms").fill(roomName);
  await browse.getByText(`No public rooms to join matching “${roomName}”.`).waitFor();
  expect(await browse.getByRole("button", { name: `Join # ${roomName}` }).count()).toBe(0);
  const rooms = await call(server, "GET", "/api/rooms", { token: await tokenOf(owner) });
  const room = (rooms.body as { rooms: { id: string; name: string }[] }).rooms.find(
    (each) => each.name === roomName,
  );
  const join = await call(server, "POST", `/api/rooms/${room?.id}/join`, { token: await tokenOf("ben") });
  expect(join.status).toBe(403);
  expect(String((join.body as { error?: { message?: string } }).error?.message)).toMatch(
    /^You are banned from this room until \d{4}-/,
  );
}
