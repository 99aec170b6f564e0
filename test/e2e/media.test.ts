import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotPath } from "./browser.ts";
import { submitSignUp } from "./pages.ts";
import { startTestServer, type TestServer } from "./server.ts";

// Two people share images, files and links in the browser, against a real `wrangler dev` (local
// R2). Link previews are fetched from a loopback page server of this test's own, which the server
// may reach only because LINK_PREVIEW_ALLOW_HOSTS names it; a second loopback server, not named,
// stands for the machine's private services: nothing may ever reach it.

/** How long a wait for something the page will show may take on a busy machine. */
const WAIT = 30_000;

let server: TestServer;
let browser: Browser;
let pages: Server;
let secret: Server;
const secretHits: string[] = [];
const pageHits: string[] = [];

const ARTICLE = `<!doctype html><html><head>
<meta property="og:title" content="Tide tables for the harbour">
<meta property="og:description" content="High and low water for the whole week, with sunrise times.">
<meta property="og:site_name" content="Harbour News">
<meta property="og:image" content="/boats.png">
<title>Harbour News</title></head><body>Tides</body></html>`;

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  return new Promise((resolve) => {
    const made = createServer(handler);
    made.listen(0, "127.0.0.1", () => resolve(made));
  });
}

const portOf = (made: Server) => (made.address() as AddressInfo).port;

/** A picture the page server can show: drawn by Chromium itself, once, as PNG bytes. */
let boatsPng: Buffer = Buffer.alloc(0);

beforeAll(async () => {
  secret = await listen((request, response) => {
    secretHits.push(request.url ?? "");
    response.end("internal");
  });
  pages = await listen((request, response) => {
    pageHits.push(request.url ?? "");
    if (request.url === "/article")
      return response.writeHead(200, { "content-type": "text/html" }).end(ARTICLE);
    if (request.url === "/boats.png")
      return response.writeHead(200, { "content-type": "image/png" }).end(boatsPng);
    if (request.url === "/to-internal")
      return response.writeHead(302, { location: `http://127.0.0.1:${portOf(secret)}/admin` }).end();
    response.writeHead(404).end();
  });
  [server, browser] = await Promise.all([
    startTestServer({ LINK_PREVIEW_ALLOW_HOSTS: `127.0.0.1:${portOf(pages)}` }),
    launchBrowser(),
  ]);
  const page = await browser.newPage();
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [320, 200];
    const context = canvas.getContext("2d");
    if (context) {
      context.fillStyle = "#0369a1";
      context.fillRect(0, 0, 320, 200);
      context.fillStyle = "#f59e0b";
      context.fillRect(40, 120, 240, 40);
    }
    return canvas.toDataURL("image/png").split(",")[1] ?? "";
  });
  boatsPng = Buffer.from(base64, "base64");
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.dispose();
  pages?.close();
  secret?.close();
});

async function signUp(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 820 }, acceptDownloads: true });
  const page = await context.newPage();
  await submitSignUp(page, server.url, username);
  await page.getByText(`Welcome, ${username}`).waitFor();
  return page;
}

const live = (page: Page) => page.locator('.room[data-connection="live"]').waitFor();
const composer = (page: Page) => page.getByRole("combobox", { name: /^Message / });

/** Alice makes a public room, Bob joins it from Browse: both have it open. */
async function roomOfTwo(name: string): Promise<{ alice: Page; bob: Page }> {
  const [alice, bob] = [await signUp(`alice_${name}`), await signUp(`bob_${name}`)];
  await alice.getByRole("button", { name: "New room" }).click();
  await alice.getByLabel("Name").fill(name);
  await alice.getByRole("button", { name: "Create room" }).click();
  await live(alice);
  await bob.getByRole("button", { name: "Browse", exact: true }).click();
  await bob
    .getByRole("dialog", { name: "Browse public rooms" })
    .getByRole("button", { name: `Join # ${name}` })
    .click();
  await live(bob);
  return { alice, bob };
}

/** Pastes a picture (drawn by the page, width × height) into the composer, as a screenshot would be. */
async function pastePicture(page: Page, width: number, height: number, name: string) {
  await composer(page).focus();
  await page.evaluate(
    async ({ width, height, name }) => {
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = [width, height];
      const context = canvas.getContext("2d");
      if (context) {
        const gradient = context.createLinearGradient(0, 0, width, height);
        gradient.addColorStop(0, "#4f46e5");
        gradient.addColorStop(1, "#f59e0b");
        context.fillStyle = gradient;
        context.fillRect(0, 0, width, height);
      }
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
      const data = new DataTransfer();
      if (blob) data.items.add(new File([blob], name, { type: "image/png" }));
      document.activeElement?.dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
      );
    },
    { width, height, name },
  );
}

/** Drops a file on the room, as dragging it from the desktop would. */
async function dropFile(page: Page, name: string, type: string, text: string) {
  await page.evaluate(
    ({ name, type, text }) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type }));
      const room = document.querySelector(".room");
      for (const kind of ["dragenter", "dragover", "drop"])
        room?.dispatchEvent(new DragEvent(kind, { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    { name, type, text },
  );
}

/** A 12 MB file of one repeated byte, written to a folder of its own; its path. */
function largeFile(name: string, fill: number): string {
  const path = join(mkdtempSync(join(tmpdir(), "hubbub-upload-")), name);
  writeFileSync(path, Buffer.alloc(12 * 1024 * 1024, fill));
  return path;
}

describe("sharing files in the browser", () => {
  it("shows a pasted image at its final size before it loads, and opens it full size", async () => {
    const { alice, bob } = await roomOfTwo("photos");
    // Bob's browser gets the pictures only when the test lets it: until then they have not loaded.
    const held: (() => void)[] = [];
    let holding = true;
    await bob.route("**/api/files/rooms/**", async (route) => {
      if (holding) await new Promise<void>((release) => held.push(release));
      await route.continue().catch(() => undefined); // the page may have gone meanwhile
    });
    await pastePicture(alice, 1200, 800, "harbour.png");
    await alice.locator('.upload[data-status="done"]').waitFor();
    await composer(alice).fill("The harbour this morning");
    await composer(alice).press("Enter");

    const image = bob.locator(".message .media-tile img");
    await image.waitFor();
    const before = await image.evaluate((img: HTMLImageElement) => ({
      loaded: img.complete && img.naturalWidth > 0,
      box: img.getBoundingClientRect().toJSON() as { width: number; height: number },
    }));
    expect(before.loaded).toBe(false);
    // 1200 × 800 fits the 360 px box as 360 × 240: its space is kept before a byte arrives.
    expect([Math.round(before.box.width), Math.round(before.box.height)]).toEqual([360, 240]);
    await bob.screenshot({ path: screenshotPath("media-image-before-load.png") });

    holding = false;
    for (const release of held.splice(0)) release();
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), {
        message: "the thumbnail loaded",
        timeout: WAIT,
      })
      .toBe(true);
    const after = await image.evaluate(
      (img: HTMLImageElement) => img.getBoundingClientRect().toJSON() as { width: number; height: number },
    );
    expect([Math.round(after.width), Math.round(after.height)]).toEqual([360, 240]);
    await bob.screenshot({ path: screenshotPath("media-image-loaded.png") });

    await bob.getByRole("button", { name: "Open harbour.png" }).click();
    const viewer = bob.getByRole("dialog", { name: /harbour\.png/ });
    await viewer.waitFor();
    await expect
      .poll(() => viewer.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth), {
        message: "the full image loaded",
        timeout: WAIT,
      })
      .toBe(1200);
    expect(await viewer.locator("img").getAttribute("alt")).toBe("harbour.png");
    await bob.screenshot({ path: screenshotPath("media-viewer.png") });
    await bob.keyboard.press("Escape");
    await viewer.waitFor({ state: "detached" });
  });

  it("moves between a message's images with the arrow keys", async () => {
    const { alice, bob } = await roomOfTwo("album");
    await pastePicture(alice, 400, 300, "one.png");
    await pastePicture(alice, 300, 400, "two.png");
    await pastePicture(alice, 500, 500, "three.png");
    await expect
      .poll(() => alice.locator('.upload[data-status="done"]').count(), {
        message: "three uploads done",
        timeout: WAIT,
      })
      .toBe(3);
    await composer(alice).press("Enter");
    await bob.getByRole("button", { name: "Open two.png" }).click();
    await bob.getByRole("dialog", { name: "two.png (2 of 3)" }).waitFor();
    await bob.keyboard.press("ArrowRight");
    await bob.getByRole("dialog", { name: "three.png (3 of 3)" }).waitFor();
    await bob.keyboard.press("ArrowRight");
    await bob.getByRole("dialog", { name: "one.png (1 of 3)" }).waitFor();
    await bob.keyboard.press("ArrowLeft");
    await bob.getByRole("dialog", { name: "three.png (3 of 3)" }).waitFor();
    await bob.keyboard.press("Escape");
    await bob.screenshot({ path: screenshotPath("media-grid.png") });
  });

  it("sends a dropped PDF as a file card that downloads", async () => {
    const { alice, bob } = await roomOfTwo("reports");
    // The button beside the composer is a drawn icon with a name (its 📎 was an empty box without an emoji font).
    const attach = alice.getByRole("button", { name: "Attach files" });
    expect(await attach.locator("svg").count()).toBe(1);
    expect((await attach.textContent())?.trim()).toBe("");
    const text = "%PDF-1.4\n% the quarterly report\n";
    await dropFile(alice, "report.pdf", "application/pdf", text);
    await alice.locator('.upload[data-status="done"]', { hasText: "report.pdf" }).waitFor();
    await composer(alice).press("Enter");
    const card = bob.getByRole("link", { name: /^Download report\.pdf/ });
    await card.waitFor();
    await bob.screenshot({ path: screenshotPath("media-file-card.png") });
    const [download] = await Promise.all([bob.waitForEvent("download"), card.click()]);
    expect(download.suggestedFilename()).toBe("report.pdf");
    const path = await download.path();
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("shows a progress bar while a large file uploads, and cancels another", async () => {
    const { alice, bob } = await roomOfTwo("big-files");
    // A slow uplink (about 4 MB/s), so that the upload takes long enough to be watched.
    const cdp = await alice.context().newCDPSession(alice);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 20,
      downloadThroughput: 50 * 1024 * 1024,
      uploadThroughput: 4 * 1024 * 1024,
    });
    const picker = alice.getByTestId("file-picker");
    // Large files go to the picker as paths: handed over as buffers, 12 MB would cross the
    // DevTools protocol as base64, which a busy machine may not finish within the action's timeout.
    await picker.setInputFiles(largeFile("archive.zip", 7));
    const bar = alice.getByRole("progressbar", { name: "Uploading archive.zip" });
    await bar.waitFor();
    await expect
      .poll(async () => Number(await bar.getAttribute("value")), { message: "the bar moved", timeout: WAIT })
      .toBeGreaterThan(0);
    await alice.screenshot({ path: screenshotPath("media-upload-progress.png") });
    expect(await alice.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);

    await picker.setInputFiles(largeFile("second.zip", 8));
    await alice.getByRole("button", { name: "Cancel second.zip" }).click();
    await alice.locator(".upload", { hasText: "second.zip" }).waitFor({ state: "detached" });

    await alice
      .locator('.upload[data-status="done"]', { hasText: "archive.zip" })
      .waitFor({ timeout: 60_000 });
    await composer(alice).press("Enter");
    await bob.getByRole("link", { name: /^Download archive\.zip/ }).waitFor();
    expect(await bob.getByRole("link", { name: /second\.zip/ }).count()).toBe(0);
  });

  it("shows a link card from the server, which never follows a link to an internal address", async () => {
    const { alice, bob } = await roomOfTwo("links");
    const base = `http://127.0.0.1:${portOf(pages)}`;
    await composer(alice).fill(`This one goes nowhere: ${base}/to-internal`);
    await composer(alice).press("Enter");
    await expect
      .poll(() => pageHits.includes("/to-internal"), { message: "the redirect was asked for", timeout: WAIT })
      .toBe(true);
    await composer(alice).fill(`Tides for the week: ${base}/article`);
    await composer(alice).press("Enter");

    const card = bob.getByRole("article", { name: "Link preview: Tide tables for the harbour" });
    await card.waitFor();
    await card.getByText("High and low water for the whole week").waitFor();
    await expect
      .poll(() => card.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth), {
        message: "its image loaded",
        timeout: WAIT,
      })
      .toBeGreaterThan(0);
    expect(await card.locator("img").getAttribute("src")).toMatch(/^\/api\/files\/previews\//);
    await bob.screenshot({ path: screenshotPath("media-link-card.png") });
    expect(secretHits).toEqual([]);

    // Bob may not remove Alice's card; Alice may, and it goes for Bob too.
    expect(await card.getByRole("button", { name: "Remove the link preview" }).count()).toBe(0);
    await alice.getByRole("button", { name: "Remove the link preview" }).click();
    await card.waitFor({ state: "detached" });
  });

  it("shows a new avatar to the others, cropped square", async () => {
    const { alice, bob } = await roomOfTwo("faces");
    await composer(alice).fill("Hello, I have a face now");
    await composer(alice).press("Enter");
    await alice.getByRole("button", { name: "Edit profile" }).click();
    const dialog = alice.getByRole("dialog", { name: "Your profile" });
    await dialog
      .locator('input[type="file"]')
      .setInputFiles({ name: "me.png", mimeType: "image/png", buffer: boatsPng });
    await dialog.getByRole("img", { name: "Your new avatar" }).waitFor();
    await dialog.getByLabel("Left–right").fill("0.3");
    await alice.screenshot({ path: screenshotPath("media-avatar-crop.png") });
    await dialog.getByRole("button", { name: "Save avatar" }).click();
    await dialog.getByText("Your avatar is saved.").waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await alice.locator(".profile-button .avatar img").waitFor();

    // Bob sees it beside her messages once the room tells him (a `member` frame).
    const beside = bob.locator(".message .avatar img").first();
    await beside.waitFor();
    await expect
      .poll(() => beside.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]), {
        message: "the avatar loaded",
        timeout: WAIT,
      })
      .toEqual([256, 256]);
    await bob.screenshot({ path: screenshotPath("media-avatar-seen.png") });
  });
});
