import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../scripts/local-server.ts";
import { startTestServer, type TestServer } from "./server.ts";

// The files a browser, a crawler or a home screen asks for beside the app, as a real `wrangler dev`
// serves them from dist/web: real files before the single-page app's fallback, and caching that
// keeps hashed assets for a year while the page itself is asked about on every load.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.dispose();
});

const get = (path: string) => fetch(`${server.url}${path}`);

describe("the page's own files", () => {
  it.each([
    ["/favicon.ico", /^image\/(x-icon|vnd\.microsoft\.icon)/],
    ["/favicon.svg", /^image\/svg\+xml/],
    ["/apple-touch-icon.png", /^image\/png/],
    ["/robots.txt", /^text\/plain/],
    ["/manifest.webmanifest", /^application\/(manifest\+)?json/],
  ])("serves %s as the file itself, not the app's HTML", async (path, type) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(type);
    const served = Buffer.from(await response.arrayBuffer());
    expect(served.equals(readFileSync(join(projectRoot, "web", "public", path)))).toBe(true);
  });

  it("has a manifest whose icons are there", async () => {
    const manifest = (await (await get("/manifest.webmanifest")).json()) as {
      name: string;
      icons: { src: string; type: string }[];
    };
    expect(manifest.name).toBe("Hubbub");
    for (const icon of manifest.icons) {
      const response = await get(icon.src);
      expect(response.status, icon.src).toBe(200);
      expect(response.headers.get("content-type")).toContain(icon.type);
    }
  });

  it("describes the page in its head: description, theme colour, icons, manifest", async () => {
    const html = await (await get("/")).text();
    expect(html).toMatch(/<meta name="description" content="[^"]{20,}"/);
    expect(html).toMatch(/<meta name="theme-color" content="#[0-9a-f]{6}"/);
    expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"');
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
  });
});

describe("caching", () => {
  it("keeps hashed assets for a year, immutable", async () => {
    const html = await (await get("/")).text();
    const assets = [...html.matchAll(/"(\/assets\/[^"]+)"/g)].map((match) => match[1] ?? "");
    expect(assets.length).toBeGreaterThanOrEqual(2); // the script and the stylesheet
    for (const asset of assets) {
      const response = await get(asset);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get("cache-control"), asset).toBe("public, max-age=31536000, immutable");
    }
  });

  it("has the page revalidated on every load, at / and at a deep link", async () => {
    for (const path of ["/", "/rooms/some-room"]) {
      const response = await fetch(`${server.url}${path}`, { headers: { "sec-fetch-mode": "navigate" } });
      expect(await response.text(), path).toContain('<div id="app">');
      const cacheControl = response.headers.get("cache-control") ?? "";
      expect(cacheControl, path).not.toContain("immutable");
      expect(cacheControl, path).toMatch(/no-cache|must-revalidate/);
    }
  });
});
