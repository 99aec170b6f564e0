// Renders web/public/favicon.svg (the one drawing of the icon) into the PNGs and the favicon.ico
// that browsers and home screens ask for, with the project's own Chromium: nothing is downloaded.
// Run it after changing the SVG: `node scripts/make-icons.ts`; its output is committed.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser } from "../test/e2e/browser.ts";
import { projectRoot } from "./local-server.ts";

const publicDir = join(projectRoot, "web", "public");
const svg = readFileSync(join(publicDir, "favicon.svg"));

// iOS rounds the corners of a home-screen icon itself and shows transparency as black: that one
// gets the icon's own colour behind it.
const PNGS = [
  { name: "icon-192.png", size: 192, background: "transparent" },
  { name: "icon-512.png", size: 512, background: "transparent" },
  { name: "apple-touch-icon.png", size: 180, background: "#4f46e5" },
];
const ICO_SIZES = [16, 32, 48];

const browser = await launchBrowser();
async function render(size: number, background = "transparent"): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const source = `data:image/svg+xml;base64,${svg.toString("base64")}`;
  await page.setContent(
    `<body style="margin:0;background:${background}"><img src="${source}" width="${size}" height="${size}"></body>`,
  );
  await page.locator("img").evaluate((img: HTMLImageElement) => img.decode());
  const png = await page.screenshot({ omitBackground: background === "transparent" });
  await page.close();
  return png;
}

for (const { name, size, background } of PNGS)
  writeFileSync(join(publicDir, name), await render(size, background));
const icons = await Promise.all(ICO_SIZES.map((size) => render(size)));
await browser.close();

// An .ico is a directory of images; since Windows Vista each may simply be a PNG.
const header = Buffer.alloc(6 + 16 * icons.length);
header.writeUInt16LE(0, 0); // reserved
header.writeUInt16LE(1, 2); // type: icon
header.writeUInt16LE(icons.length, 4);
let offset = header.length;
icons.forEach((png, index) => {
  const entry = 6 + 16 * index;
  const size = ICO_SIZES[index] ?? 0;
  header.writeUInt8(size % 256, entry); // width (0 means 256)
  header.writeUInt8(size % 256, entry + 1); // height
  header.writeUInt8(0, entry + 2); // no palette
  header.writeUInt8(0, entry + 3); // reserved
  header.writeUInt16LE(1, entry + 4); // colour planes
  header.writeUInt16LE(32, entry + 6); // bits per pixel
  header.writeUInt32LE(png.length, entry + 8);
  header.writeUInt32LE(offset, entry + 12);
  offset += png.length;
});
writeFileSync(join(publicDir, "favicon.ico"), Buffer.concat([header, ...icons]));
console.log(
  `Wrote ${PNGS.map((png) => png.name).join(", ")} and favicon.ico (${ICO_SIZES.join(", ")} px) in web/public.`,
);
