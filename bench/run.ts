// `npm run bench [-- --quick] [-- --only a,c]`: Hubbub against a bare broadcast Durable Object, on
// this machine, in one run. See docs/performance.md for what each scenario means and how to read it.
//
// Both servers are `wrangler dev` on free 127.0.0.1 ports with local observability off
// (X_LOCAL_OBSERVABILITY=false) and request logging off (--log-level warn); both are driven by the
// same `ws` load generator in this process. Results: the terminal, bench/results/latest.json and
// bench/results/latest.svg.

import { mkdirSync, statfsSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "../scripts/local-server.ts";
import type { Mode } from "./lib/load.ts";
import { chartSvg, formatTable, type LoadKey, type Results } from "./lib/report.ts";
import {
  bareDriver,
  fullSizes,
  hubbubDriver,
  quickSizes,
  registerUsers,
  runBroadcast,
  runHistory,
} from "./lib/scenarios.ts";
import { runSearch, workerWithoutIndex } from "./lib/search-scenario.ts";
import { benchArgs, benchEnv, benchSetupVars, startBare, startHubbub, type Target } from "./lib/targets.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string", default: "a,b,c,l,e,d,s" },
    /** Bench another copy of worker/ (a path inside the project), e.g. to measure a proposal. */
    worker: { type: "string", default: "worker" },
  },
});
const sizes = values.quick ? quickSizes : fullSizes;
const only = new Set((values.only ?? "").split(",").map((key) => key.trim()));

/**
 * A closed-loop client sends far faster than a person: the message limit is raised for the bench.
 * e puts 2,000 sockets of 100 users in one room, 20 per user: the per-user socket cap is raised too.
 * The set-up signs up and searches for many people from one address: those limits are raised as well.
 */
const messageVars = {
  MESSAGE_RATE_PER_SEC: "1000000",
  MESSAGE_BURST: "1000000",
  MAX_ROOM_SOCKETS_PER_USER: "20",
};
const setupVars = benchSetupVars;
const hubbubVars = { ...messageVars, ...setupVars };

const log = (text: string) => process.stdout.write(`${text}\n`);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`;

log(
  `Hubbub bench (${values.quick ? "--quick" : "full"}): Hubbub and a bare broadcast Durable Object, both on`,
);
log(
  `wrangler dev on 127.0.0.1 with ${Object.entries(benchEnv)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")} (local observability off)`,
);
log(`and ${benchArgs.join(" ")} (request logging off). Hubbub's per-connection message limit is raised to`);
log(
  `MESSAGE_RATE_PER_SEC=${messageVars.MESSAGE_RATE_PER_SEC} MESSAGE_BURST=${messageVars.MESSAGE_BURST} for the closed-loop clients, and the set-up limits to`,
);
log(
  `${Object.entries(setupVars)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")} (many people on one address); every other protection stays on.`,
);
log(`D1 statements are counted by a wrapper bundled for "drizzle-orm/d1" (bench/workers/count-d1.ts).`);
const TMPFS_MAGIC = 0x01021994;
const inMemory = statfsSync(tmpdir()).type === TMPFS_MAGIC;
log(
  `Local state (D1, the rooms' SQLite) under ${tmpdir()}: ${
    inMemory
      ? "tmpfs, so a commit waits for no disk"
      : "a disk, so each commit of Hubbub's waits for its flush (TMPDIR=/dev/shm puts it in memory)"
  }.\n`,
);

const targets: Target[] = [];
let interrupted = false;
const cleanup = async () => {
  await Promise.all(targets.map((target) => target.dispose()));
};
process.on("SIGINT", () => {
  interrupted = true;
  void cleanup().then(() => process.exit(130));
});

const results: Results = {
  meta: {
    mode: values.quick ? "quick" : "full",
    worker: values.worker,
    startedAt: new Date(started).toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    server: "wrangler dev (local workerd), X_LOCAL_OBSERVABILITY=false, --log-level warn",
    state: `${tmpdir()} (${inMemory ? "tmpfs" : "disk"})`,
    hubbubVars,
    sizes,
    notes: [
      "deliveriesPerSec counts messages received by members other than the sender, from the first send to the last delivery.",
      "Latency is from the sender's send() to the frame's arrival at each other member, in the same process.",
      "Memory is the summed RSS of the server's process tree (wrangler + workerd); CPU is % of one core.",
      "ratio: Hubbub / bare deliveriesPerSec for a, b, c; bare / Hubbub page time (p50, newest + middle) for d.",
    ],
  },
  scenarios: {},
};

function save(): void {
  const dir = join(projectRoot, "bench", "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, "latest.svg"), chartSvg(results));
}

try {
  log(`[${elapsed()}] starting both servers`);
  const [hubbub, bare] = await Promise.all([startHubbub(hubbubVars, values.worker), startBare()]);
  targets.push(hubbub, bare);
  log(`[${elapsed()}] Hubbub on ${hubbub.url}, bare on ${bare.url}; signing up ${sizes.users} users`);
  const users = await registerUsers(hubbub.url, "bench", sizes.users);
  const hub = hubbubDriver(hubbub, users);
  const base = bareDriver(bare);

  const load: { key: LoadKey; title: string; rooms: number; size: number; mode: Mode }[] = [
    {
      key: "a" as const,
      title: `1 room × ${sizes.a.clients} clients, ${sizes.a.messages} msgs each`,
      rooms: 1,
      size: sizes.a.clients,
      mode: { kind: "closed-loop" as const, messages: sizes.a.messages },
    },
    {
      key: "b" as const,
      title: `${sizes.b.rooms} rooms × ${sizes.b.clients} clients, ${sizes.b.messages} msgs each`,
      rooms: sizes.b.rooms,
      size: sizes.b.clients,
      mode: { kind: "closed-loop" as const, messages: sizes.b.messages },
    },
    {
      key: "c" as const,
      title: `${sizes.c.sockets} sockets in ${sizes.c.rooms} rooms, idle ${sizes.c.idleMs / 1000}s, burst of ${sizes.c.burst}`,
      rooms: sizes.c.rooms,
      size: sizes.c.sockets / sizes.c.rooms,
      mode: { kind: "burst" as const, messages: sizes.c.burst, idleMs: sizes.c.idleMs },
    },
  ];
  load.push(
    {
      key: "l" as const,
      title: `1 room × ${sizes.l.clients} people, ${sizes.l.perSecond} msg/s each for ${sizes.l.durationMs / 1000}s`,
      rooms: 1,
      size: sizes.l.clients,
      mode: { kind: "paced" as const, ...sizes.l, senders: sizes.l.clients },
    },
    {
      key: "e" as const,
      title: `1 room × ${sizes.e.sockets} sockets, ${sizes.e.senders * sizes.e.perSecond} msg/s in all for ${sizes.e.durationMs / 1000}s`,
      rooms: 1,
      size: sizes.e.sockets,
      mode: { kind: "paced" as const, ...sizes.e },
    },
  );
  /** a, b, c, l and e run a third time, Hubbub with ?batch=1 (as the web client does), to show what batching buys. */
  const batched = new Set(["a", "b", "c", "l", "e"]);
  const run = async (driver: typeof hub, scenario: (typeof load)[number], label: string, batch = false) => {
    log(`[${elapsed()}] ${scenario.key}: ${scenario.title} — ${label}`);
    // The batched run makes rooms of its own ("ax-0", …), beside the plain run's ("a-0", …).
    const name = batch ? `${scenario.key}x` : scenario.key;
    const result = await runBroadcast(driver, name, scenario.rooms, scenario.size, scenario.mode, {
      batch,
    });
    log(
      `        (setup ${result.setupMs} ms, connect ${result.connectMs} ms, run ${result.durationMs} ms; CPU % ${JSON.stringify(result.cpuByProcess)}, client ${result.clientCpuPct})`,
    );
    return result;
  };
  for (const scenario of load) {
    if (!only.has(scenario.key) || interrupted) continue;
    const hubbubResult = await run(hub, scenario, "Hubbub");
    const batchedResult = batched.has(scenario.key)
      ? await run(hub, scenario, "Hubbub ?batch=1", true)
      : undefined;
    const bareResult = await run(base, scenario, "bare");
    results.scenarios[scenario.key] = {
      title: scenario.title,
      hubbub: hubbubResult,
      ...(batchedResult ? { hubbubBatched: batchedResult } : {}),
      bare: bareResult,
      ratio:
        Math.round((hubbubResult.deliveriesPerSec / Math.max(1, bareResult.deliveriesPerSec)) * 100) / 100,
    };
    save(); // a later scenario that fails must not lose this one
  }
  if (only.has("d") && !interrupted) {
    const title = `1 room with ${sizes.d.messages} messages: newest page, middle page`;
    log(`[${elapsed()}] d: seeding ${sizes.d.messages} messages through Hubbub's WebSocket API`);
    const seeders = await registerUsers(hubbub.url, "seed", sizes.d.seeders);
    const hubbubResult = await runHistory(hub, sizes.d, seeders);
    log(`[${elapsed()}] d: bare`);
    const bareResult = await runHistory(base, sizes.d);
    const pageTime = (m: typeof hubbubResult) => m.newestPageP50Ms + m.middlePageP50Ms;
    results.scenarios.d = {
      title,
      hubbub: hubbubResult,
      bare: bareResult,
      ratio: Math.round((pageTime(bareResult) / Math.max(0.1, pageTime(hubbubResult))) * 100) / 100,
    };
  }
  if (only.has("s") && !interrupted) {
    const title = `search: 1 room with ${sizes.s.messages} messages; sends with and without the index`;
    log(`[${elapsed()}] s: starting a second Hubbub whose rooms have no search index`);
    const plain = await startHubbub(hubbubVars, workerWithoutIndex());
    targets.push(plain);
    log(
      `[${elapsed()}] s: seeding ${sizes.s.messages} messages into a room of each, ${sizes.s.rounds} rounds`,
    );
    const search = await runSearch(hubbub, plain, sizes.s, log);
    results.scenarios.s = { title, hubbub: search };
  }
  results.meta.durationSec = Math.round((Date.now() - started) / 1000);
  log(`\n${formatTable(results)}\n`);
  save();
  log(`Wrote bench/results/latest.json and bench/results/latest.svg (${elapsed()} in all).`);
} finally {
  await cleanup();
}
