// The page must not ship zod: the Worker validates with it, the browser only needs the protocol's
// types and the zod-free worker/protocol/limits.ts. A value import from any other worker/ module
// (say, a schema instead of its type) would pull zod into the bundle without any error, so after
// `npm run build:web` this looks for zod's own names in the built scripts and fails if it finds one.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./local-server.ts";

// Names zod 4 defines at run time (they survive minification as strings or property names).
const ZOD_MARKERS = ["ZodError", "$ZodType", "_zod"];

const assets = join(projectRoot, "dist", "web", "assets");
const scripts = readdirSync(assets).filter((name) => name.endsWith(".js"));
if (scripts.length === 0) {
  console.error(`No scripts in ${assets}: run npm run build:web first.`);
  process.exit(1);
}

const found = scripts.flatMap((name) => {
  const source = readFileSync(join(assets, name), "utf8");
  return ZOD_MARKERS.filter((marker) => source.includes(marker)).map((marker) => `${name}: ${marker}`);
});
if (found.length > 0) {
  console.error(
    `zod is in the web bundle (${found.join(", ")}). Import from worker/ with \`import type\`, ` +
      "values only from worker/protocol/limits.ts.",
  );
  process.exit(1);
}
console.log(`No zod in the web bundle (${scripts.length} script${scripts.length === 1 ? "" : "s"}).`);
