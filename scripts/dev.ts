// `npm run dev`: build the page, prepare the local database and secret, then serve the whole app
// (API + web client) with wrangler dev on http://127.0.0.1:8787 (PORT changes the port).
// Safe to run again and again: the secret is kept and applied migrations are skipped. After
// `npm run seed`, the sign-in screen offers "Continue as Alice / Bob / Carol" (DEMO_USERS).

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  applyLocalMigrations,
  demoMarker,
  devArgs,
  ensureDevVars,
  projectRoot,
  spawnWrangler,
} from "./local-server.ts";

const port = Number(process.env.PORT ?? 8787);
const persistTo = join(projectRoot, ".wrangler", "state");
const viteBin = join(projectRoot, "node_modules", "vite", "bin", "vite.js");

function buildWeb(): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = [viteBin, "build", "--config", "web/vite.config.ts", "--logLevel", "warn"];
    const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`)),
    );
  });
}

ensureDevVars();
await buildWeb();
await applyLocalMigrations(persistTo);
const args = await devArgs(port, persistTo);
if (existsSync(demoMarker(persistTo))) {
  args.push("--var", "DEMO_USERS:true");
  console.log("Demo people are seeded: the sign-in screen offers Continue as Alice, Bob or Carol.");
}
const wrangler = spawnWrangler(args);
wrangler.on("exit", (code) => process.exit(code ?? 0));
