import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { projectRoot } from "../../scripts/local-server.ts";

// Debian's Chromium (installed by .ci/run), driven by playwright-core. Never a downloaded browser.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Where screenshots go; CI keeps test-results/ as artifacts. */
export function screenshotPath(name: string): string {
  const folder = join(projectRoot, "test-results", "screenshots");
  mkdirSync(folder, { recursive: true });
  return join(folder, name);
}
