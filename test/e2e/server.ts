import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callApi } from "../../scripts/api-call.ts";
import { applyLocalMigrations, type LocalServer, startLocalServer } from "../../scripts/local-server.ts";

export type TestServer = {
  url: string;
  port: number;
  persistTo: string;
  /** The server's JWT_SECRET, for tests that need a token of their own making (e.g. one about to expire). */
  secret: string;
  output: () => string;
  /** Stops the server and starts it again on the same port and state, as a deploy or crash would. */
  restart: () => Promise<void>;
  dispose: () => Promise<void>;
};

/** A fresh Hubbub on a free port with an empty database of its own (and settings, e.g. DEMO_USERS). */
export async function startTestServer(settings: Record<string, string> = {}): Promise<TestServer> {
  const persistTo = mkdtempSync(join(tmpdir(), "hubbub-e2e-"));
  await applyLocalMigrations(persistTo, true);
  // Every person in these tests signs up from 127.0.0.1: the per-address limits are raised for that.
  const vars = {
    RATE_SIGNUP_PER_ADDRESS: "100000/1h",
    RATE_SIGNIN_PER_ADDRESS: "100000/1h",
    ...settings,
    JWT_SECRET: randomBytes(32).toString("base64url"),
  };
  let server: LocalServer = await startLocalServer({ persistTo, vars });
  const port = server.port;
  return {
    url: server.url,
    port,
    persistTo,
    secret: vars.JWT_SECRET,
    output: () => server.output(),
    restart: async () => {
      await server.stop();
      server = await startLocalServer({ port, persistTo, vars });
    },
    dispose: async () => {
      await server.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/** One JSON call to the server, as curl would make it. */
export function call(
  server: { url: string },
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
) {
  return callApi<Record<string, unknown> | null>(server.url, method, path, options);
}
