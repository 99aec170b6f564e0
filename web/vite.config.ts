import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
import { emojiData } from "./build/emoji-data.ts";
import { SERVICE_WORKER_ENTRY, serviceWorkerShell } from "./build/service-worker.ts";

const root = dirname(fileURLToPath(import.meta.url));
const outDir = join(root, "..", "dist", "web");

// /api/docs renders Swagger UI from our own origin (no CDN, works offline): copy its two files
// from the swagger-ui-dist package into the static assets.
function swaggerUiAssets(): Plugin {
  return {
    name: "hubbub-swagger-ui-assets",
    apply: "build",
    closeBundle() {
      const from = dirname(fileURLToPath(import.meta.resolve("swagger-ui-dist/package.json")));
      const to = join(outDir, "vendor", "swagger-ui");
      mkdirSync(to, { recursive: true });
      for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) cpSync(join(from, file), join(to, file));
    },
  };
}

export default defineConfig({
  root,
  plugins: [preact(), swaggerUiAssets(), emojiData(), serviceWorkerShell()],
  build: {
    outDir,
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: join(root, "index.html"),
        [SERVICE_WORKER_ENTRY]: join(root, "service-worker", "sw.ts"),
      },
      output: {
        entryFileNames: (chunk) =>
          chunk.name === SERVICE_WORKER_ENTRY ? "sw.js" : "assets/[name]-[hash].js",
      },
    },
  },
  server: {
    // `npm run dev:web`: Vite's hot reload, with the API proxied to wrangler dev.
    proxy: { "/api": { target: "http://127.0.0.1:8787", ws: true } },
  },
});
