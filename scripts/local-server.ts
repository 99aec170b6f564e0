// Starting Hubbub locally, in one place: `npm run dev`, the end-to-end tests and the benchmark all
// run wrangler through these functions, on the project's own Node 22, offline and quiet.

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = join(projectRoot, "node_modules", "wrangler", "bin", "wrangler.js");

/** Without these wrangler looks up Cloudflare hosts and records metrics consent: noise offline. */
export const quietWranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** Runs wrangler on the Node that runs this script (the project's Node 22, not the system's). */
export function spawnWrangler(args: string[], options: { env?: NodeJS.ProcessEnv; quiet?: boolean } = {}) {
  return spawn(process.execPath, [wranglerBin, ...args], {
    cwd: projectRoot,
    env: { ...quietWranglerEnv, ...options.env },
    stdio: options.quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    // A quiet (test) server gets its own process group, so stopping it also stops the workerd
    // processes it starts. A visible one stays in the terminal's group and gets Ctrl+C itself.
    detached: options.quiet ?? false,
  });
}

/** wrangler dev's arguments for 127.0.0.1:port with state kept in persistTo. */
export async function devArgs(port: number, persistTo: string): Promise<string[]> {
  // The inspector gets a free port of its own: a busy 9229 must not stop the app.
  const inspectorPort = await freePort();
  return [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persistTo,
    "--show-interactive-dev-session=false",
  ];
}

function finished(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Applies migrations/ to the local D1 in `persistTo`. Already applied ones are skipped. */
export async function applyLocalMigrations(persistTo: string, quiet = false): Promise<void> {
  const child = spawnWrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
    env: { CI: "true" }, // no "Ok to proceed?" prompt
    quiet,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const code = await finished(child);
  if (code !== 0) throw new Error(`wrangler d1 migrations apply failed (${code})\n${output}`);
}

/** Writes .dev.vars with a fresh random JWT_SECRET unless one is already there. */
export function ensureDevVars(path = join(projectRoot, ".dev.vars")): void {
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (/^JWT_SECRET=.+/m.test(current)) return;
  const secret = randomBytes(48).toString("base64url");
  const separator = current && !current.endsWith("\n") ? "\n" : "";
  writeFileSync(path, `${current}${separator}JWT_SECRET=${secret}\n`, { mode: 0o600 });
  console.log(`Wrote a random JWT_SECRET to ${path}`);
}

export type LocalServer = { url: string; port: number; output: () => string; stop: () => Promise<void> };

export type LocalServerOptions = {
  port?: number;
  persistTo: string;
  vars?: Record<string, string>;
  /** Keep wrangler's output for `output()` (default) or print it. */
  quiet?: boolean;
  timeoutMs?: number;
};

/** Starts `wrangler dev` on 127.0.0.1 and resolves once the API answers. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const port = options.port ?? (await freePort());
  const args = await devArgs(port, options.persistTo);
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push("--var", `${name}:${value}`);
  const child = spawnWrangler(args, { quiet: options.quiet ?? true });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = finished(child);
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-(child.pid ?? 0), "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/api/openapi.json`);
      if (response.ok) return { url, port, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url} in time:\n${output}`);
}
