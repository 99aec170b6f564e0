import { defineConfig } from "vitest/config";

// Unit tests of the web client's state (plain TypeScript, run in Node).
export default defineConfig({ test: { include: ["test/web/**/*.test.ts"] } });
