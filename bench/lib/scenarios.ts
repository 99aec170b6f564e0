// The four scenarios, run the same way against Hubbub and against the bare broadcast object.

import { pool } from "../../scripts/pool.ts";
import { api, type BenchUser, createRoom, createRooms, registerUsers } from "./api.ts";
import { type LoadResult, type Mode, openClient, percentile, runLoad, type SocketSpec } from "./load.ts";
import { TreeSampler, treeRssBytes, type Usage } from "./procstat.ts";
import type { Target } from "./targets.ts";

export type Sizes = {
  a: { clients: number; messages: number };
  b: { rooms: number; clients: number; messages: number };
  c: { sockets: number; rooms: number; idleMs: number; burst: number };
  /** l: one busy room of people: `clients`, each sending `perSecond` for `durationMs`. */
  l: { clients: number; perSecond: number; durationMs: number };
  /** e: one big room: `sockets` in it, `senders` of them sending `perSecond` each. */
  e: { sockets: number; senders: number; perSecond: number; durationMs: number };
  d: { messages: number; seeders: number; window: number; reads: number };
  users: number;
};

export const fullSizes: Sizes = {
  a: { clients: 50, messages: 40 },
  b: { rooms: 100, clients: 5, messages: 40 },
  c: { sockets: 2000, rooms: 100, idleMs: 30_000, burst: 3 },
  l: { clients: 50, perSecond: 1, durationMs: 15_000 },
  e: { sockets: 2000, senders: 10, perSecond: 1, durationMs: 15_000 },
  d: { messages: 100_000, seeders: 4, window: 32, reads: 30 },
  users: 100,
};

/** --quick: the same shapes with smaller counts, so that a whole run stays under 2 minutes. */
export const quickSizes: Sizes = {
  a: { clients: 50, messages: 20 },
  b: { rooms: 100, clients: 5, messages: 6 },
  c: { sockets: 300, rooms: 15, idleMs: 3_000, burst: 3 },
  l: { clients: 50, perSecond: 1, durationMs: 5_000 },
  e: { sockets: 500, senders: 10, perSecond: 1, durationMs: 5_000 },
  d: { messages: 5_000, seeders: 4, window: 32, reads: 20 },
  users: 50,
};

export type D1Count = {
  total: number;
  /** By origin (see bench/workers/count-d1.ts): alarm, ws, channel, http. */
  byOrigin: Record<string, number>;
};

export type LoadMetrics = LoadResult &
  Usage & {
    d1QueriesPerMessage: number | null;
    d1HotPathQueriesPerMessage: number | null;
    d1QueriesPerConnection: number | null;
    d1Queries: D1Count | null;
    /** Making the rooms (users join through the API) and opening the sockets, before the run. */
    setupMs: number;
    connectMs: number;
    /** The server tree's RSS before any socket of the run, once all are open, and after the idle time. */
    rssBeforeMb: number | null;
    rssConnectedMb: number | null;
    rssIdledMb: number | null;
    /** (RSS with every socket open − RSS before) / sockets, in KiB. */
    memoryPerSocketKb: number | null;
    /** The Worker's workerd CPU over the run per message sent, in ms (fan-out included). */
    cpuMsPerMessage: number | null;
  };

export type HistoryMetrics = Usage & {
  messagesStored: number;
  seedMessagesPerSec: number;
  seedDurationMs: number;
  newestPageP50Ms: number;
  newestPageMaxMs: number;
  middlePageP50Ms: number;
  middlePageMaxMs: number;
  /** Hubbub: the room's call alone (Server-Timing `room`, as the Worker waited for it), p50 of both pages. */
  roomCallP50Ms: number | null;
  d1QueriesPerRead: number | null;
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: wrangler colours its output with ANSI escapes
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * The D1 statements Hubbub ran since the last call: asks bench/workers/count-d1.ts to print its
 * counts (a user search for its marker) and reads the line from wrangler's output.
 */
export async function takeD1Count(target: Target, token: string): Promise<D1Count> {
  const offset = target.output().length;
  await api(target.url, "GET", "/api/users?q=benchflushmarker", { token });
  for (let waited = 0; waited < 5000; waited += 20) {
    const match = /\[bench-d1\] (\{[^\n]*\})/.exec(target.output().slice(offset).replace(ANSI, ""));
    if (match) {
      const byOrigin = JSON.parse(match[1] as string) as Record<string, number>;
      return { total: Object.values(byOrigin).reduce((sum, n) => sum + n, 0), byOrigin };
    }
    await sleep(20);
  }
  throw new Error("the D1 counter did not answer: is bench/workers/count-d1.ts bundled?");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ratio = (value: number, total: number) => (total > 0 ? Math.round((value / total) * 1000) / 1000 : 0);

/** What differs between the two servers: how rooms are made and how a socket joins one. */
export type Driver = {
  target: Target;
  /**
   * Sockets for `rooms` rooms of `size` sockets each: one per member, or (Hubbub, when `size` is more
   * than there are users) every user a member with several sockets. `batch` asks for ?batch=1.
   */
  sockets(scenario: string, rooms: number, size: number, batch?: boolean): Promise<SocketSpec[]>;
  /** D1 statements since the last call (null: this target has no D1). */
  d1(): Promise<D1Count | null>;
};

export function hubbubDriver(target: Target, users: BenchUser[]): Driver {
  const ws = target.url.replace(/^http/, "ws");
  return {
    target,
    d1: () => takeD1Count(target, (users[0] as BenchUser).token),
    async sockets(scenario, rooms, size, batch = false) {
      const members = Math.min(size, users.length);
      const made = await createRooms(target.url, scenario, rooms, members, users);
      const query = batch ? "&batch=1" : "";
      return made.flatMap((room, index) =>
        Array.from({ length: size }, (_, slot) => ({
          url: `${ws}/api/rooms/${room.id}/ws?token=${(room.members[slot % members] as BenchUser).token}${query}`,
          room: index,
        })),
      );
    },
  };
}

export function bareDriver(target: Target): Driver {
  const ws = target.url.replace(/^http/, "ws");
  return {
    target,
    d1: async () => null,
    async sockets(scenario, rooms, size) {
      return Array.from({ length: rooms * size }, (_, socket) => {
        const room = Math.floor(socket / size);
        return { url: `${ws}/rooms/${scenario}-${room}/ws?user=user-${socket % size}`, room };
      });
    },
  };
}

/** a, b and c: connect, (idle), send, drain; with the server's memory, CPU and D1 statements. */
export async function runBroadcast(
  driver: Driver,
  scenario: string,
  rooms: number,
  size: number,
  mode: Mode,
  extra: { sending?: () => void; batch?: boolean } = {},
): Promise<LoadMetrics> {
  const { target } = driver;
  const setupStarted = performance.now();
  const specs = await driver.sockets(scenario, rooms, size, extra.batch);
  const rssBefore = treeRssBytes(target.pid);
  let rssConnected = 0;
  let rssIdled = 0;
  const setupMs = Math.round(performance.now() - setupStarted);
  let connectMs = 0;
  const sampler = new TreeSampler(target.pid, target.port);
  await driver.d1(); // start counting from here
  const counted: { connections: D1Count | null } = { connections: null };
  const result = await runLoad(`${scenario}${target.name[0]}`, specs, mode, {
    connected: async () => {
      connectMs = Math.round(performance.now() - setupStarted) - setupMs;
      counted.connections = await driver.d1();
      rssConnected = treeRssBytes(target.pid);
      sampler.start();
    },
    idled: () => {
      rssIdled = treeRssBytes(target.pid);
    },
    sending: () => extra.sending?.(),
  });
  const usage = sampler.stop();
  // Summaries reach D1 at most about a second after the last message: include that flush.
  if (driver.target.name === "hubbub") await sleep(1500);
  const d1 = await driver.d1();
  return {
    ...result,
    ...usage,
    d1QueriesPerMessage: d1 ? ratio(d1.total, result.messagesSent) : null,
    d1HotPathQueriesPerMessage: d1 ? ratio(d1.total - (d1.byOrigin.alarm ?? 0), result.messagesSent) : null,
    d1QueriesPerConnection: counted.connections ? ratio(counted.connections.total, result.clients) : null,
    d1Queries: d1,
    setupMs,
    connectMs,
    rssBeforeMb: mb(rssBefore),
    rssConnectedMb: mb(rssConnected),
    rssIdledMb: mb(rssIdled),
    memoryPerSocketKb:
      rssBefore > 0 && rssConnected > 0
        ? Math.round((rssConnected - rssBefore) / 1024 / result.clients)
        : null,
    cpuMsPerMessage:
      usage.workerCpuMs !== null && result.messagesSent > 0
        ? Math.round((usage.workerCpuMs / result.messagesSent) * 100) / 100
        : null,
  };
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((x, y) => x - y),
    50,
  );
const mb = (bytes: number) => (bytes > 0 ? Math.round(bytes / 1024 / 1024) : null);

/** Sends `total` messages through `urls` sockets, each with up to `window` unconfirmed at a time. */
async function seedThroughSockets(urls: string[], total: number, window: number): Promise<number> {
  const sockets = await pool(urls, 8, (url) => openClient(url));
  const started = performance.now();
  let next = 0;
  let confirmed = 0;
  await new Promise<void>((resolve, reject) => {
    let lastProgress = performance.now();
    const timer = setInterval(() => {
      if (performance.now() - lastProgress > 30_000) {
        clearInterval(timer);
        reject(new Error(`seeding stalled at ${confirmed} of ${total}`));
      }
    }, 1000);
    const send = (ws: (typeof sockets)[number], index: number) => {
      if (next >= total) return;
      const n = next++;
      ws.send(
        JSON.stringify({ type: "message", body: `history message ${n + 1}`, clientId: `seed.${index}.${n}` }),
      );
    };
    sockets.forEach((ws, index) => {
      const mine = `"clientId":"seed.${index}.`;
      ws.on("message", (data) => {
        const text = String(data);
        if (text.startsWith('{"type":"error"')) {
          clearInterval(timer);
          reject(new Error(`seeding refused: ${text}`));
          return;
        }
        if (!text.startsWith('{"type":"message"') || !text.includes(mine)) return;
        confirmed++;
        lastProgress = performance.now();
        if (confirmed === total) {
          clearInterval(timer);
          resolve();
        } else send(ws, index);
      });
      for (let i = 0; i < window; i++) send(ws, index);
    });
  });
  const duration = performance.now() - started;
  for (const ws of sockets) ws.terminate();
  return duration;
}

async function timeReads(read: () => Promise<void>, count: number): Promise<number[]> {
  for (let i = 0; i < 3; i++) await read(); // warm up
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  return times.sort((x, y) => x - y);
}

type Page = { messages: { seq: number }[]; hasMore: boolean };

function checkPage(page: Page, first: number, last: number, what: string): void {
  const seqs = page.messages.map((message) => message.seq);
  if (seqs[0] !== first || seqs.at(-1) !== last || seqs.length !== last - first + 1)
    throw new Error(
      `${what}: expected seq ${first}..${last}, got ${seqs[0]}..${seqs.at(-1)} (${seqs.length})`,
    );
}

/** d: a room with `messages` stored messages; time the newest page and a page from the middle. */
export async function runHistory(
  driver: Driver,
  sizes: Sizes["d"],
  users?: BenchUser[],
): Promise<HistoryMetrics> {
  const { target } = driver;
  const total = sizes.messages;
  const middle = Math.floor(total / 2);
  const sampler = new TreeSampler(target.pid, target.port);
  sampler.start();
  let seedMs: number;
  let readNewest: () => Promise<Page>;
  let readMiddle: () => Promise<Page>;
  const roomCalls: number[] = [];
  if (users) {
    const members = users.slice(0, sizes.seeders);
    const roomId = await createRoom(target.url, "history", members);
    const ws = target.url.replace(/^http/, "ws");
    seedMs = await seedThroughSockets(
      members.map((member) => `${ws}/api/rooms/${roomId}/ws?token=${member.token}`),
      total,
      sizes.window,
    );
    const reader = members[0] as BenchUser;
    const get = async (query: string) => {
      const reply = await fetch(`${target.url}/api/rooms/${roomId}/messages?${query}`, {
        headers: { authorization: `Bearer ${reader.token}` },
      });
      if (reply.status !== 200) throw new Error(`history read: HTTP ${reply.status}`);
      const timing = /room;dur=([\d.]+)/.exec(reply.headers.get("server-timing") ?? "");
      if (timing) roomCalls.push(Number(timing[1]));
      return (await reply.json()) as Page;
    };
    readNewest = () => get("limit=50");
    readMiddle = () => get(`before=${middle}&limit=50`);
  } else {
    const started = performance.now();
    for (let done = 0; done < total; done += 10_000) {
      const count = Math.min(10_000, total - done);
      const reply = await fetch(`${target.url}/rooms/history/seed?count=${count}`, { method: "POST" });
      if (!reply.ok) throw new Error(`bare seed: HTTP ${reply.status}`);
    }
    seedMs = performance.now() - started;
    const get = async (query: string) =>
      (await (await fetch(`${target.url}/rooms/history/messages?${query}`)).json()) as Page;
    readNewest = () => get("limit=50");
    readMiddle = () => get(`before=${middle}&limit=50`);
  }
  checkPage(await readNewest(), total - 49, total, "newest page");
  checkPage(await readMiddle(), middle - 50, middle - 1, "middle page");
  await driver.d1();
  roomCalls.length = 0;
  const newest = await timeReads(async () => void (await readNewest()), sizes.reads);
  const middleTimes = await timeReads(async () => void (await readMiddle()), sizes.reads);
  const reads = (sizes.reads + 3) * 2;
  const d1 = await driver.d1();
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    messagesStored: total,
    seedMessagesPerSec: Math.round(total / (seedMs / 1000)),
    seedDurationMs: Math.round(seedMs),
    newestPageP50Ms: round(percentile(newest, 50)),
    newestPageMaxMs: round(percentile(newest, 100)),
    middlePageP50Ms: round(percentile(middleTimes, 50)),
    middlePageMaxMs: round(percentile(middleTimes, 100)),
    roomCallP50Ms: roomCalls.length > 0 ? round(median(roomCalls)) : null,
    d1QueriesPerRead: d1 ? ratio(d1.total, reads) : null,
    ...sampler.stop(),
  };
}

export { registerUsers };
