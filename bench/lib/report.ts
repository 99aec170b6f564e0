// The bench's results: a table for the terminal and an SVG chart, both written by hand.

import type { HistoryMetrics, LoadMetrics } from "./scenarios.ts";

export type LoadScenario = {
  title: string;
  hubbub: LoadMetrics;
  /** a, b, c, l: Hubbub again with ?batch=1. */
  hubbubBatched?: LoadMetrics;
  bare: LoadMetrics;
  ratio: number;
};
export type HistoryScenario = { title: string; hubbub: HistoryMetrics; bare: HistoryMetrics; ratio: number };
export type Results = {
  meta: Record<string, unknown>;
  scenarios: Partial<Record<LoadKey, LoadScenario> & { d: HistoryScenario }>;
};

export type LoadKey = "a" | "b" | "c" | "l" | "e";
const loadKeys: LoadKey[] = ["a", "b", "c", "l", "e"];

const show = (value: number | null | undefined) =>
  value === null || value === undefined ? "-" : String(value);

function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) => row.map((cell, column) => cell.padStart(widths[column] ?? 0)).join("  "))
    .join("\n");
}

export function formatTable(results: Results): string {
  const load: string[][] = [
    [
      "scenario",
      "target",
      "deliv/s",
      "sent/s",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "max ms",
      "lost",
      "dup",
      "order",
      "peak MB",
      "peak CPU%",
      "D1/msg",
      "D1 hot/msg",
      "rcpt/msg",
      "KiB/sock",
      "CPU ms/msg",
      "ratio",
    ],
  ];
  for (const key of loadKeys) {
    const scenario = results.scenarios[key];
    if (!scenario) continue;
    for (const name of ["hubbub", "hubbubBatched", "bare"] as const) {
      const m = scenario[name];
      if (!m) continue;
      load.push([
        name === "hubbub" ? `${key}: ${scenario.title}` : "",
        name === "hubbubBatched" ? "hubbub batch=1" : name,
        show(m.deliveriesPerSec),
        show(m.messagesPerSec),
        show(m.p50Ms),
        show(m.p95Ms),
        show(m.p99Ms),
        show(m.maxMs),
        show(m.lost),
        show(m.duplicated),
        show(m.outOfOrder),
        show(m.peakMemoryMb),
        show(m.peakCpuPct),
        show(m.d1QueriesPerMessage),
        show(m.d1HotPathQueriesPerMessage),
        show(m.receiptFramesPerMessage),
        show(m.memoryPerSocketKb),
        show(m.cpuMsPerMessage),
        name === "hubbub" ? scenario.ratio.toFixed(2) : "",
      ]);
    }
  }
  let text = table(load);
  const d = results.scenarios.d;
  if (d) {
    const history: string[][] = [
      [
        "scenario",
        "target",
        "stored",
        "seed msg/s",
        "newest p50",
        "newest max",
        "middle p50",
        "middle max",
        "room call p50",
        "peak MB",
        "peak CPU%",
        "D1/read",
        "ratio",
      ],
    ];
    for (const name of ["hubbub", "bare"] as const) {
      const m = d[name];
      history.push([
        name === "hubbub" ? `d: ${d.title}` : "",
        name,
        show(m.messagesStored),
        show(m.seedMessagesPerSec),
        show(m.newestPageP50Ms),
        show(m.newestPageMaxMs),
        show(m.middlePageP50Ms),
        show(m.middlePageMaxMs),
        show(m.roomCallP50Ms),
        show(m.peakMemoryMb),
        show(m.peakCpuPct),
        show(m.d1QueriesPerRead),
        name === "hubbub" ? d.ratio.toFixed(2) : "",
      ]);
    }
    text += `\n\n${table(history)}`;
  }
  return text;
}

// ── SVG ─────────────────────────────────────────────────────────────────────────────────────────

const colors = { hubbub: "#2563eb", bare: "#9ca3af" };
const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

type Panel = { x: number; y: number; width: number; height: number };

function axis(panel: Panel, max: number, label: (value: number) => string): string[] {
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    const y = panel.y + panel.height - (panel.height * i) / 4;
    parts.push(
      `<line x1="${panel.x}" x2="${panel.x + panel.width}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${panel.x - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#6b7280">${label(value)}</text>`,
    );
  }
  return parts;
}

/** Throughput (deliveries/s) and latency (p50, p95, p99) of a, b and c, Hubbub next to bare. */
export function chartSvg(results: Results): string {
  const keys = (["a", "b", "c"] as const).filter((key) => results.scenarios[key]);
  const width = 960;
  const height = 440;
  const left: Panel = { x: 70, y: 60, width: 370, height: 270 };
  const right: Panel = { x: 560, y: 60, width: 370, height: 270 };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    "<title>Hubbub and a bare broadcast Durable Object: throughput and latency</title>",
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left.x}" y="28" font-size="15" font-weight="600">Deliveries to other members per second</text>`,
    `<text x="${right.x}" y="28" font-size="15" font-weight="600">Latency, send to receive (ms, log scale)</text>`,
    `<text x="${left.x}" y="46" font-size="11" fill="#6b7280">${escapeXml(String(results.meta.mode ?? ""))}, ${escapeXml(String(results.meta.startedAt ?? ""))}</text>`,
  ];

  const throughputMax = niceMax(
    Math.max(
      ...keys.flatMap((key) => [
        results.scenarios[key]?.hubbub.deliveriesPerSec ?? 0,
        results.scenarios[key]?.bare.deliveriesPerSec ?? 0,
      ]),
    ),
  );
  parts.push(
    ...axis(left, throughputMax, (value) => (value >= 1000 ? `${Math.round(value / 1000)}k` : String(value))),
  );
  // Latency spans milliseconds to seconds: a log scale from 1 ms to the power of ten above the worst p99.
  const worst = Math.max(
    1,
    ...keys.flatMap((key) => [
      results.scenarios[key]?.hubbub.p99Ms ?? 0,
      results.scenarios[key]?.bare.p99Ms ?? 0,
    ]),
  );
  const decades = Math.max(1, Math.ceil(Math.log10(worst)));
  const scale = (ms: number) =>
    right.y + right.height - (Math.log10(Math.max(1, ms)) / decades) * right.height;
  for (let power = 0; power <= decades; power++) {
    const y = scale(10 ** power);
    parts.push(
      `<line x1="${right.x}" x2="${right.x + right.width}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${right.x - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#6b7280">${10 ** power}</text>`,
    );
  }

  const group = left.width / Math.max(1, keys.length);
  keys.forEach((key, index) => {
    const scenario = results.scenarios[key] as LoadScenario;
    const gx = left.x + group * index;
    (["hubbub", "bare"] as const).forEach((name, slot) => {
      const value = scenario[name].deliveriesPerSec;
      const barHeight = (value / throughputMax) * left.height;
      const x = gx + group * 0.15 + slot * group * 0.35;
      const y = left.y + left.height - barHeight;
      parts.push(
        `<rect x="${x}" y="${y}" width="${group * 0.33}" height="${barHeight}" fill="${colors[name]}"><title>${name} ${key}: ${value}/s</title></rect>`,
        `<text x="${x + group * 0.165}" y="${y - 4}" text-anchor="middle" font-size="10">${value >= 1000 ? `${(value / 1000).toFixed(1)}k` : value}</text>`,
      );
    });
    parts.push(
      `<text x="${gx + group / 2}" y="${left.y + left.height + 18}" text-anchor="middle" font-size="12">${key}</text>`,
      `<text x="${gx + group / 2}" y="${left.y + left.height + 34}" text-anchor="middle" font-size="11" fill="#374151">ratio ${scenario.ratio.toFixed(2)}</text>`,
    );

    const rx = right.x + (right.width / keys.length) * index;
    const rgroup = right.width / keys.length;
    (["hubbub", "bare"] as const).forEach((name, slot) => {
      const m = scenario[name];
      const cx = rx + rgroup * 0.3 + slot * rgroup * 0.4;
      parts.push(
        `<line x1="${cx}" x2="${cx}" y1="${scale(m.p50Ms)}" y2="${scale(m.p99Ms)}" stroke="${colors[name]}" stroke-width="2"/>`,
        `<rect x="${cx - 10}" y="${scale(m.p95Ms)}" width="20" height="${Math.max(1, scale(m.p50Ms) - scale(m.p95Ms))}" fill="${colors[name]}" opacity="0.85"><title>${name} ${key}: p50 ${m.p50Ms}, p95 ${m.p95Ms}, p99 ${m.p99Ms} ms</title></rect>`,
        `<line x1="${cx - 8}" x2="${cx + 8}" y1="${scale(m.p99Ms)}" y2="${scale(m.p99Ms)}" stroke="${colors[name]}" stroke-width="2"/>`,
        `<text x="${cx}" y="${scale(m.p99Ms) - 5}" text-anchor="middle" font-size="10">${m.p99Ms}</text>`,
      );
    });
    parts.push(
      `<text x="${rx + rgroup / 2}" y="${right.y + right.height + 18}" text-anchor="middle" font-size="12">${key}</text>`,
    );
  });

  keys.forEach((key, index) => {
    const scenario = results.scenarios[key] as LoadScenario;
    parts.push(
      `<text x="${left.x}" y="${height - 66 + index * 14}" font-size="11" fill="#374151">${key}: ${escapeXml(scenario.title)}</text>`,
    );
  });
  const legendY = height - 12;
  (["hubbub", "bare"] as const).forEach((name, slot) => {
    const x = left.x + slot * 190;
    parts.push(
      `<rect x="${x}" y="${legendY - 10}" width="12" height="12" fill="${colors[name]}"/>`,
      `<text x="${x + 18}" y="${legendY}" font-size="12">${name === "hubbub" ? "Hubbub" : "bare broadcast object"}</text>`,
    );
  });
  parts.push(
    `<text x="${right.x}" y="${legendY}" font-size="11" fill="#6b7280">box: p50 to p95, whisker and label: p99</text>`,
    "</svg>",
  );
  return `${parts.join("\n")}\n`;
}
