import { createHash } from "node:crypto";
import type { Plugin } from "vite";

// Builds web/service-worker/sw.ts as /sw.js (an entry of its own, at the root so its scope is the
// whole app, with a stable name so the browser can find its updates), and puts in front of it the
// list of files this build made (the app shell it caches) and a version derived from them: every
// deploy that changes a file changes the worker, which is how the browser learns to update.

export const SERVICE_WORKER_ENTRY = "sw";

export function serviceWorkerShell(): Plugin {
  return {
    name: "hubbub-service-worker-shell",
    apply: "build",
    generateBundle(_options, bundle) {
      const worker = Object.values(bundle).find(
        (file) => file.type === "chunk" && file.isEntry && file.name === SERVICE_WORKER_ENTRY,
      );
      if (worker?.type !== "chunk") throw new Error("the service worker entry was not built");
      const shell = Object.keys(bundle)
        .filter((name) => name !== worker.fileName && !name.endsWith(".map") && !name.endsWith(".html"))
        .map((name) => `/${name}`)
        .sort();
      const version = createHash("sha256").update(shell.join("\n")).digest("hex").slice(0, 16);
      worker.code = `const HUBBUB_SHELL = ${JSON.stringify(shell)};\nconst HUBBUB_SHELL_VERSION = "${version}";\n${worker.code}`;
    },
  };
}
