import { deflateSync } from "node:zlib";

// The network, as the Worker tests see it: miniflare hands every outbound fetch of the Worker and
// its Durable Objects to `outbound` (in Node), which never reaches a real network. It answers DNS
// over HTTPS for a few names, serves the pages the link-preview tests need under public-looking
// names, and records every request, so a test can prove that a forbidden address was never asked.
// The tests read the record at http://outbound.test/log.

const requests: string[] = [];

const dns: Record<string, { A?: string[]; AAAA?: string[] }> = {
  "pages.example": { A: ["93.184.216.34"] },
  "loopback.example": { A: ["127.0.0.1"] },
  "private.example": { A: ["93.184.216.34", "10.1.2.3"] },
  "v6loopback.example": { AAAA: ["::1"] },
};

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A small red-and-blue PNG, made by hand (Node has no image codec). */
function pngPicture(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push(x < width / 2 ? 220 : 30, 40, x < width / 2 ? 40 : 200);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.from(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const article = `<!doctype html><html><head>
<title>Ignored when og:title is there</title>
<meta property="og:title" content="The harbour at dawn &amp; dusk">
<meta property="og:description" content="Boats, gulls and a very early coffee.">
<meta property="og:site_name" content="Example Harbour">
<meta property="og:image" content="/harbour.png">
</head><body><p>Hello</p></body></html>`;

function html(body: string): Response {
  return new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });
}

/** A page that sends its head at once and then nothing for `ms`: the fetch must give up first. */
function slowPage(ms: number): Response {
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new TextEncoder().encode("<html><head>"));
      await new Promise((resolve) => setTimeout(resolve, ms));
      controller.enqueue(new TextEncoder().encode("<title>Too late</title></head></html>"));
      controller.close();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/html" } });
}

function page(url: URL): Response {
  switch (url.pathname) {
    case "/article":
    case "/article-2":
      return html(article);
    case "/plain-title":
      return html("<html><head><title>Just a title</title></head></html>");
    case "/harbour.png":
      return new Response(new Uint8Array(pngPicture(64, 32)), { headers: { "content-type": "image/png" } });
    case "/redirect-to-loopback":
      return new Response(null, { status: 302, headers: { location: "http://127.0.0.1:9/secret" } });
    case "/redirect-to-article":
      return new Response(null, { status: 301, headers: { location: "/article" } });
    case "/redirect-loop":
      return new Response(null, { status: 302, headers: { location: "/redirect-loop" } });
    case "/big":
      // The title comes after 600 KiB: past the 512 KiB a preview reads.
      return html(
        `<html><head>${"<!-- padding -->".repeat(40_000)}<title>Found too late</title></head></html>`,
      );
    case "/slow":
      return slowPage(8000);
    default:
      return new Response("not found", { status: 404 });
  }
}

export async function outbound(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname === "outbound.test") {
    if (url.pathname === "/log") return Response.json(requests);
    return new Response("unknown", { status: 404 });
  }
  requests.push(request.url);
  if (url.hostname === "cloudflare-dns.com" && url.pathname === "/dns-query") {
    const name = url.searchParams.get("name") ?? "";
    const type = url.searchParams.get("type") === "AAAA" ? "AAAA" : "A";
    const answers = dns[name]?.[type] ?? [];
    return Response.json({
      Status: dns[name] ? 0 : 3,
      Answer: answers.map((data) => ({ name, type: type === "A" ? 1 : 28, TTL: 60, data })),
    });
  }
  if (url.hostname === "pages.example") return page(url);
  // Anything else would have left the machine: the tests have no network, and say so.
  return new Response("no network in the tests", { status: 502 });
}
