// What a page says about itself: Open Graph (og:title, og:description, og:site_name, og:image),
// Twitter cards and plain <title> / <meta name="description"> as fallbacks, read with the
// runtime's streaming HTMLRewriter from at most the bytes we fetched.

export type PageCard = {
  title: string;
  description: string | null;
  siteName: string | null;
  image: string | null;
};

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** HTMLRewriter hands text and attributes over as written: entities are decoded here. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

function tidy(text: string | undefined, max: number): string | null {
  if (!text) return null;
  const clean = decodeEntities(text).replace(/\s+/g, " ").trim();
  if (!clean) return null;
  const characters = Array.from(clean);
  return characters.length <= max ? clean : `${characters.slice(0, max - 1).join("")}…`;
}

export async function readCard(html: Uint8Array, pageUrl: string): Promise<PageCard | null> {
  const meta = new Map<string, string>();
  let title = "";
  let inTitle = false;
  let titles = 0;
  const rewriter = new HTMLRewriter()
    .on("meta", {
      element(element) {
        const key = (element.getAttribute("property") ?? element.getAttribute("name") ?? "").toLowerCase();
        const content = element.getAttribute("content");
        if (key && content !== null && !meta.has(key)) meta.set(key, content);
      },
    })
    .on("title", {
      element(element) {
        titles++;
        inTitle = titles === 1;
        element.onEndTag(() => {
          inTitle = false;
        });
      },
      text(chunk) {
        if (inTitle) title += chunk.text;
      },
    });
  await rewriter.transform(new Response(html, { headers: { "content-type": "text/html" } })).arrayBuffer();
  const pick = (...keys: string[]) => keys.map((key) => meta.get(key)).find((value) => value?.trim());
  const cardTitle = tidy(pick("og:title", "twitter:title") ?? title, 200);
  if (!cardTitle) return null;
  const image = pick("og:image", "og:image:url", "twitter:image");
  let imageUrl: string | null = null;
  if (image) {
    try {
      imageUrl = new URL(decodeEntities(image.trim()), pageUrl).toString();
    } catch {
      imageUrl = null;
    }
  }
  return {
    title: cardTitle,
    description: tidy(pick("og:description", "twitter:description", "description"), 300),
    siteName: tidy(pick("og:site_name"), 100) ?? new URL(pageUrl).hostname,
    image: imageUrl,
  };
}
