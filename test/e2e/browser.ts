import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { projectRoot } from "../../scripts/local-server.ts";

// Debian's Chromium (installed by .ci/run), driven by playwright-core. Never a downloaded browser.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * What calls need: a fake camera and microphone granted without asking, loopback host candidates
 * too (a CI box may have no other usable interface), plain addresses instead of mDNS names (which
 * nothing resolves offline), and sound that may play without a click.
 */
export const FAKE_MEDIA_ARGS = [
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  "--allow-loopback-in-peer-connection",
  "--disable-features=WebRtcHideLocalIpsWithMdns",
  "--autoplay-policy=no-user-gesture-required",
];

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
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
      ...extraArgs,
    ],
  });
}

/** Where screenshots go; CI keeps test-results/ as artifacts. */
export function screenshotPath(name: string): string {
  const folder = join(projectRoot, "test-results", "screenshots");
  mkdirSync(folder, { recursive: true });
  return join(folder, name);
}
