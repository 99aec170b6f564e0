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

/**
 * The file `npm run seed` leaves in the local state once the demo people exist: `npm run dev` then
 * turns on DEMO_USERS ("Continue as Alice / Bob / Carol"). Deleting .wrangler/state removes it
 * with the people.
 */
export function demoMarker(persistTo: string): string {
  return join(persistTo, "demo-users");
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

export type LocalServer = {
  url: string;
  port: number;
  output: () => string;
  stop: () => Promise<void>;
  /** The wrangler process; its workerd processes are its descendants (for /proc measurements). */
  pid: number;
  /** Kills the whole process group at once with SIGKILL, as a crash would, and waits for the exit. */
  kill: () => Promise<void>;
};

export type LocalServerOptions = {
  port?: number;
  persistTo: string;
  vars?: Record<string, string>;
  /** Keep wrangler's output for `output()` (default) or print it. */
  quiet?: boolean;
  timeoutMs?: number;
  /** Extra environment for wrangler, e.g. `{ X_LOCAL_OBSERVABILITY: "false" }`. */
  env?: NodeJS.ProcessEnv;
  /** Another wrangler config than the project's wrangler.toml (`--config`). */
  config?: string;
  /** More arguments for `wrangler dev`, e.g. `["--log-level", "warn"]` (which also stops request logs). */
  extraArgs?: string[];
  /** The path that must answer 2xx before the server counts as started (default /api/openapi.json). */
  readyPath?: string;
};

class PortTaken extends Error {}

/**
 * Starts `wrangler dev` on 127.0.0.1 and resolves once the API answers. A port we picked can be
 * taken by someone else before wrangler binds it; then we pick another (a port you chose is kept).
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, options.port ?? (await freePort()));
    } catch (error) {
      if (!(error instanceof PortTaken) || options.port !== undefined || attempt >= 5) throw error;
    }
  }
}

async function startOnce(options: LocalServerOptions, port: number): Promise<LocalServer> {
  const args = await devArgs(port, options.persistTo);
  // A server started for the tests, the seed or the benchmark never reaches the internet: link
  // previews fetch only what LINK_PREVIEW_ALLOW_HOSTS lets through (a test's own page server).
  const vars = { LINK_PREVIEWS_PUBLIC: "false", ...options.vars };
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  if (options.config) args.push("--config", options.config);
  args.push(...(options.extraArgs ?? []));
  const child = spawnWrangler(args, { quiet: options.quiet ?? true, env: options.env });
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

  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-(child.pid ?? 0), "SIGKILL");
    } catch {
      return;
    }
    await exited;
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const readyPath = options.readyPath ?? "/api/openapi.json";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      if (output.includes("Address already in use")) throw new PortTaken(output);
      throw new Error(`wrangler dev exited early:\n${output}`);
    }
    try {
      const response = await fetch(`${url}${readyPath}`);
      if (response.ok) return { url, port, output: () => output, stop, pid: child.pid ?? 0, kill };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${url} in time:\n${output}`);
}
