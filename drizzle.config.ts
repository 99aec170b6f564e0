import { defineConfig } from "drizzle-kit";

// `npm run db:generate` turns changes in worker/db/schema.ts into the next migrations/NNNN_*.sql,
// which wrangler applies (locally in `npm run dev`, remotely in `npm run deploy`).
export default defineConfig({
  dialect: "sqlite",
  schema: "./worker/db/schema.ts",
  out: "./migrations",
});
