// Server memory and CPU, read from /proc for a process and all its descendants (wrangler's Node
// process, its workerd processes and anything they start). Linux only; elsewhere it reports nulls.

import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
const PAGE_BYTES = 4096;

type ProcStat = { pid: number; ppid: number; ticks: number; rssBytes: number };

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces and parentheses: the fields start after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15, rss 24.
    return {
      pid,
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
      rssBytes: Number(fields[21]) * PAGE_BYTES,
    };
  } catch {
    return null; // gone, or no /proc
  }
}

/** The process and its descendants, as they are right now. */
export function processTree(root: number): ProcStat[] {
  let pids: number[];
  try {
    pids = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
  const stats = pids.map(readStat).filter((stat): stat is ProcStat => stat !== null);
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const tree: ProcStat[] = [];
  const queue = stats.filter((stat) => stat.pid === root);
  while (queue.length > 0) {
    const next = queue.shift() as ProcStat;
    tree.push(next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return tree;
}

export type Usage = {
  peakMemoryMb: number | null;
  peakCpuPct: number | null;
  meanCpuPct: number | null;
  /** Mean CPU (% of one core) of each process of the tree over the run, by what it is. */
  cpuByProcess: Record<string, number> | null;
  /** CPU time the Worker's workerd spent over the run, in ms (for CPU per message). */
  workerCpuMs: number | null;
};

/** The summed resident set of the tree right now, in bytes (0 without /proc). */
export function treeRssBytes(root: number): number {
  return processTree(root).reduce((sum, stat) => sum + stat.rssBytes, 0);
}

/** What a process of wrangler dev's tree is, from its command line. */
function processLabel(pid: number, port: number | null): string {
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "gone";
  }
  if (cmdline.includes("workerd")) {
    // wrangler dev runs two: a proxy that owns the public port, and the one that runs the Worker.
    return port !== null && cmdline.includes(`entry=127.0.0.1:${port} `)
      ? "workerd (proxy)"
      : "workerd (worker)";
  }
  if (cmdline.includes("esbuild")) return "esbuild";
  if (cmdline.includes("wrangler")) return "wrangler (node)";
  return cmdline.split(" ")[0]?.split("/").at(-1) ?? "other";
}

/**
 * Samples the tree every `intervalMs`: memory is the sum of the processes' resident sets (RSS;
 * shared pages count once per process, the same for both servers), CPU is user + system time of
 * the tree per wall-clock time, in % of one core (200% = both cores of this machine).
 */
export class TreeSampler {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTicks = 0;
  private lastAt = 0;
  private firstTicks = 0;
  private firstAt = 0;
  private peakMemory = 0;
  private peakCpu = 0;
  /** CPU time of processes that exited since the last sample is lost; the tree is stable in practice. */
  private ticksByPid = new Map<number, number>();

  private readonly root: number;
  private readonly intervalMs: number;
  private readonly port: number | null;
  private firstTicksByPid = new Map<number, number>();

  constructor(root: number, port: number | null = null, intervalMs = 250) {
    this.root = root;
    this.port = port;
    this.intervalMs = intervalMs;
  }

  private totalTicks(): { ticks: number; rss: number } {
    let rss = 0;
    for (const stat of processTree(this.root)) {
      this.ticksByPid.set(stat.pid, stat.ticks);
      rss += stat.rssBytes;
    }
    let ticks = 0;
    for (const value of this.ticksByPid.values()) ticks += value;
    return { ticks, rss };
  }

  start(): void {
    this.stop();
    const now = this.totalTicks();
    this.firstTicks = this.lastTicks = now.ticks;
    this.firstAt = this.lastAt = performance.now();
    this.peakMemory = now.rss;
    this.peakCpu = 0;
    this.firstTicksByPid = new Map(this.ticksByPid);
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  private sample(): void {
    const now = this.totalTicks();
    const at = performance.now();
    const seconds = (at - this.lastAt) / 1000;
    if (seconds > 0) {
      const cpu = ((now.ticks - this.lastTicks) / TICKS_PER_SECOND / seconds) * 100;
      this.peakCpu = Math.max(this.peakCpu, cpu);
    }
    this.peakMemory = Math.max(this.peakMemory, now.rss);
    this.lastTicks = now.ticks;
    this.lastAt = at;
  }

  stop(): Usage {
    const none = {
      peakMemoryMb: null,
      peakCpuPct: null,
      meanCpuPct: null,
      cpuByProcess: null,
      workerCpuMs: null,
    };
    if (this.timer === undefined) return none;
    clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    const seconds = (this.lastAt - this.firstAt) / 1000;
    if (this.peakMemory === 0) return none;
    const cpuByProcess: Record<string, number> = {};
    let workerTicks = 0;
    for (const [pid, ticks] of this.ticksByPid) {
      const used = ticks - (this.firstTicksByPid.get(pid) ?? 0);
      const label = processLabel(pid, this.port);
      if (label === "workerd (worker)") workerTicks += used;
      if (seconds > 0)
        cpuByProcess[label] =
          (cpuByProcess[label] ?? 0) + Math.round((used / TICKS_PER_SECOND / seconds) * 100);
    }
    return {
      cpuByProcess,
      workerCpuMs: Math.round((workerTicks / TICKS_PER_SECOND) * 1000),
      peakMemoryMb: Math.round(this.peakMemory / 1024 / 1024),
      peakCpuPct: Math.round(this.peakCpu),
      meanCpuPct:
        seconds > 0
          ? Math.round(((this.lastTicks - this.firstTicks) / TICKS_PER_SECOND / seconds) * 100)
          : null,
    };
  }
}
