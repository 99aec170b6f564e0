import { defineConfig } from "vitest/config";

// Hard tests (`npm run test:hard`): a crash mid-stream, a reconnect storm and thousands of malformed
// requests and frames, each against a real `wrangler dev` of its own on a free loopback port. They
// are bounded in time and count and stop by themselves; they run one file at a time.
export default defineConfig({
  test: {
    include: ["test/hard/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
