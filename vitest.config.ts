import { join } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Worker and Durable Object tests run inside workerd, against the real bindings from wrangler.toml
// (local D1 and Durable Objects), with the migrations applied by test/worker/setup.ts.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            JWT_SECRET: "test-secret-that-is-long-enough-for-hs256-0123456789",
          },
          // An empty database of its own for the test that replays the migrations over old accounts.
          d1Databases: ["MIGRATION_TEST_DB"],
        },
      }),
    ],
    test: {
      include: ["test/worker/**/*.test.ts"],
      setupFiles: ["test/worker/setup.ts"],
      // Waits inside the tests are bounded conditions; this bound only matters on a loaded machine.
      testTimeout: 30_000,
    },
  };
});
