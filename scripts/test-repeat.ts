// `npm run test:repeat [-- --times 5] [-- --suites e2e,hard]`: runs the end-to-end (API, sockets and
// browser) and hard tests N times in a row and reports every test that failed at least once, with its
// first failure. A test that passes four times in five is a flaky test: it blocks every landing.
//
// Each run is a plain `vitest run --project <suite>` (the projects of vitest.config.ts), with
// vitest's JSON reporter written to test-results/repeat/, so nothing here replaces the real runner.

import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "./local-server.ts";

/** The vitest projects this repeats by default and knows: the ones that drive a real `wrangler dev`. */
const suites = ["e2e", "hard"];

const { values } = parseArgs({
  options: {
    times: { type: "string", default: "5" },
    suites: { type: "string", default: suites.join(",") },
  },
});
const times = Number(values.times);
if (!Number.isInteger(times) || times < 1) throw new Error("--times must be a whole number of at least 1");
const chosen = (values.suites ?? "").split(",").map((name) => name.trim());
for (const name of chosen)
  if (!suites.includes(name)) throw new Error(`unknown suite ${name}; known: ${suites.join(", ")}`);

const vitestBin = join(projectRoot, "node_modules", "vitest", "vitest.mjs");
const outDir = join(projectRoot, "test-results", "repeat");
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

type JsonReport = {
  testResults: {
    name: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[]; duration?: number }[];
  }[];
};

type Tally = { runs: number; failures: number; firstFailure?: string };
const tallies = new Map<string, Tally>();
const runSeconds: number[] = [];

function runSuite(project: string, outputFile: string): Promise<number> {
  const args = [vitestBin, "run", "--project", project, "--reporter=dot", "--reporter=json"];
  args.push(`--outputFile.json=${outputFile}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: projectRoot,
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

function record(report: JsonReport, suite: string): void {
  for (const file of report.testResults) {
    // A file that failed before its tests ran (e.g. a server that never started) counts as one test.
    if (file.assertionResults.length === 0 && file.message) {
      const key = `${suite} ${file.name.replace(`${projectRoot}/`, "")} (the whole file)`;
      const tally = tallies.get(key) ?? { runs: 0, failures: 0 };
      tally.runs++;
      tally.failures++;
      tally.firstFailure ??= file.message;
      tallies.set(key, tally);
    }
    for (const test of file.assertionResults) {
      const key = `${suite} ${test.fullName}`;
      const tally = tallies.get(key) ?? { runs: 0, failures: 0 };
      tally.runs++;
      if (test.status === "failed") {
        tally.failures++;
        tally.firstFailure ??= test.failureMessages[0];
      }
      tallies.set(key, tally);
    }
  }
}

for (let run = 1; run <= times; run++) {
  const started = Date.now();
  for (const suite of chosen) {
    const outputFile = join(outDir, `${run}-${suite}.json`);
    console.log(`\n── run ${run} of ${times}: ${suite} ──`);
    const code = await runSuite(suite, outputFile);
    try {
      record(JSON.parse(readFileSync(outputFile, "utf8")) as JsonReport, suite);
    } catch {
      const key = `${suite} (no report: vitest exited with ${code})`;
      const tally = tallies.get(key) ?? { runs: 0, failures: 0 };
      tallies.set(key, { runs: tally.runs + 1, failures: tally.failures + 1 });
    }
  }
  runSeconds.push((Date.now() - started) / 1000);
}

const flaky = [...tallies].filter(([, tally]) => tally.failures > 0);
console.log(
  `\n${times} runs of ${chosen.join(" + ")}: ${runSeconds.map((s) => `${s.toFixed(0)} s`).join(", ")}`,
);
console.log(`${tallies.size} tests, ${flaky.length} failed at least once.`);
for (const [name, tally] of flaky) {
  console.log(`\n✗ ${name}: failed ${tally.failures} of ${tally.runs}`);
  if (tally.firstFailure)
    console.log(`  first failure: ${tally.firstFailure.split("\n").slice(0, 6).join("\n  ")}`);
}
process.exit(flaky.length > 0 ? 1 : 0);
