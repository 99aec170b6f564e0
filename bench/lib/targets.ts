// The two servers the bench compares, each a real `wrangler dev` on a free loopback port with
// local observability off (X_LOCAL_OBSERVABILITY=false) and request logging off (--log-level warn).

import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyLocalMigrations,
  type LocalServer,
  projectRoot,
  startLocalServer,
} from "../../scripts/local-server.ts";

export const benchEnv = { X_LOCAL_OBSERVABILITY: "false" };
export const benchArgs = ["--log-level", "warn"];

export type Target = LocalServer & {
  name: "hubbub" | "bare";
  persistTo: string;
  dispose: () => Promise<void>;
};

/**
 * Hubbub's own wrangler.toml, copied with absolute paths and one addition: an alias that bundles
 * bench/workers/count-d1.ts for "drizzle-orm/d1", so every D1 statement is counted (see that file).
 */
export function hubbubBenchConfig(dir: string, workerDir = "worker"): string {
  const abs = (path: string) => JSON.stringify(join(projectRoot, path));
  let toml = readFileSync(join(projectRoot, "wrangler.toml"), "utf8");
  const replace = (pattern: RegExp, value: string) => {
    if (!pattern.test(toml)) throw new Error(`wrangler.toml: ${pattern} not found`);
    toml = toml.replace(pattern, value);
  };
  replace(/^main = .*$/m, `main = ${abs(join(workerDir, "index.ts"))}`);
  replace(/^directory = .*$/m, `directory = ${abs("dist/web")}`);
  replace(/^migrations_dir = .*$/m, `migrations_dir = ${abs("migrations")}`);
  toml = toml.replace(
    /^(compatibility_date = .*)$/m,
    `$1\nalias = { "drizzle-orm/d1" = ${abs("bench/workers/count-d1.ts")} }`,
  );
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, toml);
  return path;
}

/**
 * Hubbub as the bench runs it. `workerDir` (relative to the project) benches another copy of
 * worker/, e.g. a proposed change, without touching worker/ itself.
 */
/**
 * The bench is hundreds of people on one address (127.0.0.1), set up in seconds: the sign-up and
 * sign-in limits per address, and the per-person limits of its set-up calls (rooms, the user search
 * that flushes the D1 counts), are raised. None of them is on the measured message path.
 */
export const benchSetupVars = {
  RATE_SIGNUP_PER_ADDRESS: "1000000/1h",
  RATE_SIGNIN_PER_ADDRESS: "1000000/1h",
  RATE_CREATE_ROOM_PER_USER: "1000000/1h",
  RATE_USER_SEARCH_PER_USER: "1000000/1h",
  RATE_SEARCH_PER_USER: "1000000/1h",
};

export async function startHubbub(vars: Record<string, string>, workerDir = "worker"): Promise<Target> {
  const persistTo = mkdtempSync(join(tmpdir(), "hubbub-bench-"));
  await applyLocalMigrations(persistTo, true);
  const server = await startLocalServer({
    persistTo,
    config: hubbubBenchConfig(persistTo, workerDir),
    env: benchEnv,
    extraArgs: benchArgs,
    vars: { JWT_SECRET: randomBytes(32).toString("base64url"), ...vars },
  });
  return {
    ...server,
    name: "hubbub",
    persistTo,
    dispose: async () => {
      await server.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

export async function startBare(): Promise<Target> {
  const persistTo = mkdtempSync(join(tmpdir(), "bare-bench-"));
  const server = await startLocalServer({
    persistTo,
    config: join(projectRoot, "bench", "workers", "bare.wrangler.toml"),
    env: benchEnv,
    extraArgs: benchArgs,
    readyPath: "/health",
  });
  return {
    ...server,
    name: "bare",
    persistTo,
    dispose: async () => {
      await server.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
