import { join } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { outbound } from "./test/fake-network.ts";

// Every test suite is a project of this one config (as Hono keeps its tests). Run one with
// `npx vitest run --project <name>`; the npm scripts test:worker, test:web, test:e2e and test:hard
// do exactly that. `npm test` runs them one after another, never together: workerd, wrangler dev
// and Chromium share two cores.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(join(import.meta.dirname, "migrations"));
  return {
    test: {
      projects: [
        {
          // Worker and Durable Object tests run inside workerd, against the real bindings from
          // wrangler.toml (local D1 and Durable Objects), with the migrations applied by
          // test/worker/setup.ts.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  JWT_SECRET: "test-secret-that-is-long-enough-for-hs256-0123456789",
                  // Small enough that the quota test reaches it with a few small files.
                  UPLOAD_QUOTA_BYTES_PER_DAY: "3145728",
                },
                // The Worker's outbound fetches (link previews, DNS) go to a fake network in Node.
                outboundService: outbound,
                // An empty database of its own for the test that replays the migrations over old accounts.
                d1Databases: ["MIGRATION_TEST_DB"],
              },
            }),
          ],
          test: {
            name: "worker",
            include: ["test/worker/**/*.test.ts"],
            setupFiles: ["test/worker/setup.ts"],
            // Waits inside the tests are bounded conditions; this bound only matters on a loaded machine.
            testTimeout: 30_000,
          },
        },
        {
          // Unit tests of the web client's state (plain TypeScript, run in Node).
          test: { name: "web", include: ["test/web/**/*.test.ts"] },
        },
        {
          // End-to-end tests: each file starts a real `wrangler dev` on a free loopback port with its
          // own state folder, drives it over HTTP (and Chromium where it matters), then stops it.
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.test.ts"],
            fileParallelism: false,
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
        {
          // Hard tests: a crash mid-stream, a reconnect storm and thousands of malformed requests and
          // frames, each against a real `wrangler dev` of its own on a free loopback port. They are
          // bounded in time and count and stop by themselves; they run one file at a time.
          test: {
            name: "hard",
            include: ["test/hard/**/*.test.ts"],
            fileParallelism: false,
            testTimeout: 180_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  };
});
