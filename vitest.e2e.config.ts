import { defineConfig } from "vitest/config";

// End-to-end tests: each file starts a real `wrangler dev` on a free loopback port with its own
// state folder, drives it over HTTP (and Chromium where it matters), then stops it.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
