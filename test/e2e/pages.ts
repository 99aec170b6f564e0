import type { Browser, Page } from "playwright-core";
import { call, type TestServer } from "./server.ts";

// Driving the web client as people do, shared by the browser tests: sign up in a fresh browser
// context, create a room, send, and find what the screen shows. Someone who only uses the API
// (as curl would) comes from personOverApi.

export const PASSWORD = "correct horse battery";
export const DESKTOP = { width: 1200, height: 780 };
export const PHONE = { width: 375, height: 740 };

// The composer is a combobox: `@` opens its list of people to mention.
export const composer = (page: Page) => page.getByRole("combobox", { name: /^Message / });
export const bubble = (page: Page, text: string) =>
  page.locator(".message:not(.pending) .bubble", { hasText: text });
export const live = (page: Page) => page.locator('.room[data-connection="live"]').waitFor();

export async function send(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press("Enter");
}

/** What a screen reader would announce for the focused element: its label, else its text. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    return element?.getAttribute("aria-label") || element?.textContent?.trim() || "";
  });
}

/** Native alert/confirm/prompt boxes the page opened (the app must use its own UI instead). */
export function nativeDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on("dialog", (dialog) => {
    seen.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return seen;
}

/**
 * Opens the app at `url` and sends its sign-up form (the caller waits for what it expects next: the
 * welcome, a field's error, a prompt).
 */
export async function submitSignUp(page: Page, url: string, username: string, password = PASSWORD) {
  await page.goto(url);
  await page.getByRole("tab", { name: "Create account" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).last().click();
}

/** The helpers that need the file's server and browser (started in its beforeAll). */
export function pages(running: () => { server: TestServer; browser: Browser }) {
  async function signUp(username: string, viewport = DESKTOP): Promise<Page> {
    const context = await running().browser.newContext({ viewport });
    const page = await context.newPage();
    await submitSignUp(page, running().server.url, username);
    await page.getByText(`Welcome, ${username}`).waitFor();
    return page;
  }

  /** Creates a public room from the page and waits until it is live there; returns its id. */
  async function createRoom(page: Page, name: string): Promise<string> {
    await page.getByRole("button", { name: "New room" }).click();
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Create room" }).click();
    await live(page);
    return new URL(page.url()).pathname.split("/").at(-1) ?? "";
  }

  /** Someone who uses the API directly (as curl would), with their access token. */
  async function personOverApi(username: string): Promise<{ id: string; token: string }> {
    const reply = await call(running().server, "POST", "/api/auth/register", {
      body: { username, password: PASSWORD },
    });
    const user = reply.body?.user as { id: string };
    return { id: user.id, token: String(reply.body?.accessToken) };
  }

  return { signUp, createRoom, personOverApi };
}
