// `npm run profile -- [--scenario a|b|c|l|e] [--target hubbub|bare] [--quick]`: where the Worker's CPU
// goes under one bench scenario. It starts the target like the bench does, attaches to wrangler's
// inspector (the V8 inspector of the worker's isolate, the one that runs the Durable Objects),
// records a CPU profile while the scenario runs, and prints the functions with the most self time
// and the most total time. The full profile lands in test-results/<target>-<scenario>.cpuprofile
// (open it in Chrome DevTools → Performance, or in VS Code).

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { projectRoot } from "../scripts/local-server.ts";
import { registerUsers } from "./lib/api.ts";
import type { Mode } from "./lib/load.ts";
import {
  bareDriver,
  type Driver,
  fullSizes,
  hubbubDriver,
  quickSizes,
  runBroadcast,
} from "./lib/scenarios.ts";
import { benchSetupVars, startBare, startHubbub, type Target } from "./lib/targets.ts";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "b" },
    target: { type: "string", default: "hubbub" },
    quick: { type: "boolean", default: false },
    worker: { type: "string", default: "worker" },
  },
});
const sizes = values.quick ? quickSizes : fullSizes;

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] };
type Profile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};

/** A minimal Chrome DevTools Protocol client over the inspector's WebSocket. */
async function inspector(port: string) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error("no inspector target");
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  return {
    send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const callId = ++id;
      ws.send(JSON.stringify({ id: callId, method, params }));
      return new Promise((resolve) => pending.set(callId, resolve as (result: unknown) => void));
    },
    close: () => ws.close(),
  };
}

function label(frame: CallFrame): string {
  const name = frame.functionName || "(anonymous)";
  const file = frame.url.split("/").at(-1) ?? "";
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

function summarize(profile: Profile): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const sampleMs = new Map<number, number>();
  profile.samples.forEach((nodeId, index) => {
    sampleMs.set(nodeId, (sampleMs.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const walk = (node: ProfileNode, stack: Set<string>): number => {
    const own = sampleMs.get(node.id) ?? 0;
    const key = label(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + own);
    let sum = own;
    const added = !stack.has(key);
    if (added) stack.add(key);
    for (const child of node.children ?? []) {
      const childNode = byId.get(child);
      if (childNode) sum += walk(childNode, stack);
    }
    if (added) {
      stack.delete(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
    }
    return sum;
  };
  const root = profile.nodes[0];
  if (root) walk(root, new Set());
  const top = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((x, y) => y[1] - x[1])
      .slice(0, count)
      .map(
        ([key, ms]) =>
          `${ms.toFixed(0).padStart(7)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${key}`,
      )
      .join("\n");
  return `profile of ${totalMs.toFixed(0)} ms\n\nself time:\n${top(self, 30)}\n\ntotal time (including callees):\n${top(inclusive, 30)}\n\n${stretches(profile, byId)}`;
}

const IDLE = new Set(["(idle)", "(program)"]);
const STRETCH_GAP_MS = 0.5;
const SAMPLE_MS = 0.2; // Profiler.setSamplingInterval below, in ms

/**
 * The tail, not the average: the isolate's longest busy stretches (consecutive samples in JS, apart
 * by less than STRETCH_GAP_MS), each with the outermost functions of our code it spent its time in.
 * A message that arrives during one waits for all of it.
 */
function stretches(profile: Profile, byId: Map<number, ProfileNode>): string {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  /** The outermost frame of the sample's stack that is in a file of ours (not the runtime's). */
  const entry = (nodeId: number): string => {
    let found = "";
    for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (frame?.url && !frame.url.startsWith("node:") && frame.functionName) found = label(frame);
    }
    return (
      found ||
      label(byId.get(nodeId)?.callFrame ?? { functionName: "?", url: "", lineNumber: 0, columnNumber: 0 })
    );
  };
  type Stretch = { startMs: number; ms: number; gcMs: number; by: Map<string, number> };
  const all: Stretch[] = [];
  let current: Stretch | undefined;
  let at = 0;
  let lastBusy = -Infinity;
  profile.samples.forEach((nodeId, index) => {
    at += (profile.timeDeltas[index] ?? 0) / 1000;
    const name = byId.get(nodeId)?.callFrame.functionName ?? "";
    if (IDLE.has(name)) return;
    // A sample stands for the time since the one before, unless it opens a stretch: the gap before
    // it was not spent here (the sampler only ticks while the isolate runs).
    const opens = !current || at - lastBusy > STRETCH_GAP_MS;
    const ms = opens ? SAMPLE_MS : at - lastBusy;
    if (opens || !current) {
      current = { startMs: at, ms: 0, gcMs: 0, by: new Map() };
      all.push(current);
    }
    current.ms = at - current.startMs + SAMPLE_MS;
    lastBusy = at;
    if (name === "(garbage collector)") current.gcMs += ms;
    else {
      const key = entry(nodeId);
      current.by.set(key, (current.by.get(key) ?? 0) + ms);
    }
  });
  const longest = all.sort((x, y) => y.ms - x.ms).slice(0, 12);
  const lines = longest.map((stretch) => {
    const parts = [...stretch.by]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 4)
      .map(([key, ms]) => `${ms.toFixed(1)} ${key}`)
      .join(", ");
    return `${stretch.ms.toFixed(1).padStart(6)} ms at ${(stretch.startMs / 1000).toFixed(2).padStart(6)} s  (gc ${stretch.gcMs.toFixed(1)})  ${parts}`;
  });
  const over = (ms: number) => all.filter((stretch) => stretch.ms >= ms).length;
  return `busy stretches: ${all.length}, ≥ 5 ms: ${over(5)}, ≥ 10 ms: ${over(10)}, ≥ 20 ms: ${over(20)}; the longest:\n${lines.join("\n")}`;
}

const target: Target =
  values.target === "bare"
    ? await startBare()
    : await startHubbub(
        {
          MESSAGE_RATE_PER_SEC: "1000000",
          MESSAGE_BURST: "1000000",
          MAX_ROOM_SOCKETS_PER_USER: "20",
          ...benchSetupVars,
        },
        values.worker,
      );
try {
  const args = readFileSync(`/proc/${target.pid}/cmdline`, "utf8").split("\0");
  const port = args[args.indexOf("--inspector-port") + 1] ?? "";
  let driver: Driver;
  if (target.name === "hubbub")
    driver = hubbubDriver(target, await registerUsers(target.url, "prof", sizes.users));
  else driver = bareDriver(target);
  const cdp = await inspector(port);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: SAMPLE_MS * 1000 });
  const scenario = values.scenario ?? "b";
  const plans: Record<string, { rooms: number; size: number; mode: Mode }> = {
    a: { rooms: 1, size: sizes.a.clients, mode: { kind: "closed-loop", messages: sizes.a.messages } },
    b: {
      rooms: sizes.b.rooms,
      size: sizes.b.clients,
      mode: { kind: "closed-loop", messages: sizes.b.messages },
    },
    c: {
      rooms: sizes.c.rooms,
      size: sizes.c.sockets / sizes.c.rooms,
      mode: { kind: "burst", messages: sizes.c.burst, idleMs: 1000 },
    },
    l: { rooms: 1, size: sizes.l.clients, mode: { kind: "paced", ...sizes.l, senders: sizes.l.clients } },
    e: { rooms: 1, size: sizes.e.sockets, mode: { kind: "paced", ...sizes.e } },
  };
  const plan = plans[scenario];
  if (!plan) throw new Error(`--scenario ${scenario}: one of ${Object.keys(plans).join(", ")}`);
  // The profile covers the sends only: it starts once every socket is open.
  let profiling = Promise.resolve<unknown>(undefined);
  const result = await runBroadcast(driver, scenario, plan.rooms, plan.size, plan.mode, {
    sending: () => {
      profiling = cdp.send("Profiler.start");
    },
  });
  await profiling;
  const { profile } = await cdp.send<{ profile: Profile }>("Profiler.stop");
  // The isolate's heap (every object of the Worker, the rooms and user channels in it): what a major GC walks.
  const heap = await cdp.send<{ usedSize: number; totalSize: number }>("Runtime.getHeapUsage");
  cdp.close();
  const dir = join(projectRoot, "test-results");
  mkdirSync(dir, { recursive: true });
  const suffix = values.worker === "worker" ? "" : `-${(values.worker ?? "").split("/").at(-1)}`;
  const file = join(dir, `${target.name}-${scenario}${suffix}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(
    `${target.name} ${scenario}: ${result.deliveriesPerSec} deliveries/s, ${result.messagesPerSec} msgs/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (profiling slows it)\n`,
  );
  console.log(summarize(profile));
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  console.log(`\nheap after the run: ${mb(heap.usedSize)} MB used of ${mb(heap.totalSize)} MB`);
  console.log(`\nfull profile: ${file}`);
} finally {
  await target.dispose();
}
