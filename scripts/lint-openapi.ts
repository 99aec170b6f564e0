// `npm run lint:openapi` (part of npm test): lints the OpenAPI document the app serves at
// /api/openapi.json with Redocly CLI's `recommended` ruleset, and fails on any error or warning.
//
// Nothing is started: the Worker's app (createApp) is loaded in this Node process through Vite's
// module runner (the Worker's sources use extensionless imports and TypeScript that Node alone does
// not run) and asked for the document in memory, exactly as a client would ask for it. The route
// modules import no Durable Object or other workerd-only module, so Node can load them.
//
// `npm run lint:openapi -- --out <file>` also keeps the document.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runnerImport } from "vite";
import { projectRoot } from "./local-server.ts";

/** What this script uses of worker/app.ts, typed here: the Worker's own types are not Node's. */
type AppModule = {
  createApp(): { request(url: string, init: RequestInit, env: object): Response | Promise<Response> };
};

const { values } = parseArgs({ options: { out: { type: "string" } } });

async function servedDocument(): Promise<string> {
  const { module } = await runnerImport<AppModule>(join(projectRoot, "worker", "app.ts"), {
    configFile: false,
    logLevel: "error",
  });
  // The origin becomes the document's `servers` entry: the one `npm run dev` serves.
  const response = await module.createApp().request("http://127.0.0.1:8787/api/openapi.json", {}, {});
  if (response.status !== 200) throw new Error(`/api/openapi.json answered ${response.status}`);
  return `${JSON.stringify(await response.json(), null, 2)}\n`;
}

function lint(file: string): Promise<number> {
  const redocly = join(projectRoot, "node_modules", "@redocly", "cli", "bin", "cli.js");
  const config = join(projectRoot, "scripts", "redocly.yaml");
  const args = [redocly, "lint", file, "--config", config, "--format", "stylish"];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      stdio: ["ignore", "inherit", "inherit"],
      // Offline and quiet: no usage telemetry, no update check.
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    child.on("error", fail);
    child.on("exit", (code) => done(code ?? 1));
  });
}

const document = await servedDocument();
if (values.out) writeFileSync(resolve(values.out), document);
const folder = mkdtempSync(join(tmpdir(), "hubbub-openapi-"));
try {
  const file = join(folder, "openapi.json");
  writeFileSync(file, document);
  process.exitCode = await lint(file);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
