import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { callApi as call } from "../../scripts/api-call.ts";
import { applyLocalMigrations, type LocalServer, startLocalServer } from "../../scripts/local-server.ts";
import type { Message } from "../../worker/protocol/messages.ts";
import type { ServerFrame } from "../shared/socket-harness.ts";

// What the hard tests share beyond the fixtures and socket harness of every suite (test/shared/):
// a real `wrangler dev` on a free loopback port whose state folder can outlive it (to restart on it
// after a crash), JSON calls as curl would make them, and a client that resumes like the web client
// does: it keeps the last seq it saw, reconnects with ?since= and resends what was never confirmed
// with the same clientId. That client holds its own `ws` socket rather than the harness: it outlives
// each connection, handles every frame as it arrives, and can stop reading (holdConfirmations).

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A pause for pacing load (a sender's rhythm, a drop's duration); never to wait for a condition. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `check` holds, checking every few milliseconds, for conditions that no frame
 * announces (e.g. a sender's send window filling up). Fails after `timeoutMs` saying what it waited for.
 */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export type HardServer = {
  server: LocalServer;
  persistTo: string;
  secret: string;
  vars: Record<string, string>;
  /** The server of the moment (a restart replaces it). */
  url: () => string;
  /** SIGKILL to the whole process group (wrangler and its workerd processes), then start again on the same state. */
  crashAndRestart: () => Promise<void>;
  dispose: () => Promise<void>;
};

/**
 * The hard tests are hundreds of people on one address (127.0.0.1): the per-address sign-up and
 * sign-in limits are raised for them, the way the bench raises the message rate. Every per-person
 * limit stays as it is, so the bad-input test meets them.
 */
export const manyPeopleOnOneAddress = {
  RATE_SIGNUP_PER_ADDRESS: "1000000/1h",
  RATE_SIGNIN_PER_ADDRESS: "1000000/1h",
};

export async function startHardServer(vars: Record<string, string> = {}): Promise<HardServer> {
  const persistTo = mkdtempSync(join(tmpdir(), "hubbub-hard-"));
  await applyLocalMigrations(persistTo, true);
  const secret = randomBytes(32).toString("base64url");
  const allVars = { JWT_SECRET: secret, ...manyPeopleOnOneAddress, ...vars };
  const start = () =>
    startLocalServer({
      persistTo,
      vars: allVars,
      env: { X_LOCAL_OBSERVABILITY: "false" },
      timeoutMs: 90_000,
      // Try a change to wrangler.toml without editing it: HARD_WRANGLER_CONFIG=<path to a copy>.
      config: process.env.HARD_WRANGLER_CONFIG,
    });
  const hard: HardServer = {
    server: await start(),
    persistTo,
    secret,
    vars: allVars,
    url: () => hard.server.url,
    crashAndRestart: async () => {
      await hard.server.kill();
      hard.server = await start();
    },
    dispose: async () => {
      await hard.server.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
  return hard;
}

export type { Reply } from "../../scripts/api-call.ts";
export { pool } from "../../scripts/pool.ts";
export { call };

/**
 * A client of one room that survives its socket: it records every message it is shown, in order,
 * across connections, and says so when it sees one twice or out of order. Its own sends are
 * confirmed by their echo; `resume` reconnects with ?since=<last seq> and resends the unconfirmed.
 */
export class ResumingClient {
  /** seqs in the order they were shown to this client, over all its connections. */
  readonly shown: number[] = [];
  readonly bySeq = new Map<number, Message>();
  /** Anything wrong: a seq seen twice, a gap, a frame it did not expect. */
  readonly problems: string[] = [];
  /** Own clientIds sent and not yet confirmed, in send order. */
  readonly unconfirmed: string[] = [];
  readonly confirmed = new Map<string, number>();
  /** clientIds resent after a reconnect, whose echo may legitimately repeat an older seq. */
  private readonly resent = new Set<string>();
  lastSeq = 0;
  connections = 0;
  /** Resends answered with the message already stored (its echo was lost with the old socket). */
  repeats = 0;
  private ws: WebSocket | null = null;
  private generation = 0;
  private readonly waiters = new Set<() => void>();
  private readonly roomUrl: () => string;
  readonly name: string;

  constructor(name: string, roomUrl: () => string) {
    this.name = name;
    this.roomUrl = roomUrl;
  }

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Opens a socket with ?since=<last seq> (the first time: since=0) and resends what is unconfirmed. */
  async connect(): Promise<void> {
    const generation = ++this.generation;
    const ws = new WebSocket(`${this.roomUrl()}&since=${this.lastSeq}`, { perMessageDeflate: false });
    this.ws = ws;
    // Listen before the socket opens: the welcome and the replay can arrive in the same read as the
    // 101 response, and `ws` emits them right after "open", before an awaiting caller resumes.
    ws.on("message", (data) => {
      if (generation !== this.generation) return; // a socket this client already gave up
      this.onFrame(JSON.parse(String(data)) as ServerFrame);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      );
      ws.once("error", reject);
    });
    ws.on("error", () => {}); // a crash or a drop: the close event follows
    this.connections++;
    for (const clientId of this.unconfirmed) {
      this.resent.add(clientId);
      ws.send(JSON.stringify({ type: "message", body: `body of ${clientId}`, clientId }));
    }
  }

  /** Drops the connection: abruptly (as a lost network would) or with a clean close. */
  drop(abrupt: boolean): void {
    const ws = this.ws;
    this.generation++;
    this.ws = null;
    if (!ws) return;
    if (abrupt) ws.terminate();
    else ws.close();
  }

  /**
   * Stops reading the socket: frames the server sends (confirmations included) wait unread in the
   * connection, so this client's sends stay unconfirmed, as they would if the server had crashed
   * before answering. The next `connect` reads normally again.
   */
  holdConfirmations(): void {
    this.ws?.pause();
  }

  /** Sends a message now if connected; it stays unconfirmed (and is resent on resume) until its echo. */
  send(clientId: string): void {
    this.unconfirmed.push(clientId);
    if (this.open) this.ws?.send(JSON.stringify({ type: "message", body: `body of ${clientId}`, clientId }));
  }

  private onFrame(frame: ServerFrame): void {
    if (frame.type === "error") this.problems.push(`${this.name}: error frame ${JSON.stringify(frame)}`);
    if (frame.type !== "message") return;
    const { message } = frame;
    const own = message.clientId !== null && this.unconfirmed.includes(message.clientId);
    if (message.seq <= this.lastSeq) {
      // Only the answer to a resend may repeat a seq, and it must be the very message shown before.
      const before = this.bySeq.get(message.seq);
      const repeat = message.clientId !== null && this.resent.has(message.clientId);
      if (!repeat || before?.id !== message.id)
        this.problems.push(`${this.name}: seq ${message.seq} shown again (last ${this.lastSeq})`);
      else this.repeats++;
    } else {
      if (message.seq !== this.lastSeq + 1)
        this.problems.push(`${this.name}: gap, seq ${message.seq} after ${this.lastSeq}`);
      this.lastSeq = message.seq;
      this.shown.push(message.seq);
      this.bySeq.set(message.seq, message);
    }
    if (own && message.clientId !== null) {
      this.unconfirmed.splice(this.unconfirmed.indexOf(message.clientId), 1);
      this.confirmed.set(message.clientId, message.seq);
    }
    for (const waiter of this.waiters) waiter();
  }

  /** Resolves once `check` holds (checked after every message), or fails after `timeoutMs`. */
  until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(done);
        reject(new Error(`${this.name}: ${what} not reached in ${timeoutMs} ms (last seq ${this.lastSeq})`));
      }, timeoutMs);
      this.waiters.add(done);
      done();
    });
  }

  close(): void {
    this.drop(false);
  }
}
