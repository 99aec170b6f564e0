import { sha256 } from "@noble/hashes/sha2.js";
import { eq } from "drizzle-orm";
import { database } from "../../db/client";
import { linkPreviews } from "../../db/schema";
import type { StoredLinkPreview } from "../../room-object/store/messages";
import { sniffImage } from "../content-types";
import { previewImageKey } from "../keys";
import { mediaSettings } from "../settings";
import { scaledDown } from "../thumbnail";
import { readCard } from "./page";
import { fetchPublic, type Policy } from "./safe-fetch";

// A link's card: from the cache (D1, per URL, a day), else fetched under the SSRF rules of
// safe-fetch.ts: the page (5 s, 512 KiB), then its image (re-encoded at most 480 px and kept in
// R2, so members' browsers load it from us: the linked site never learns who looked).

const PAGE_BYTES = 512 * 1024;
const IMAGE_BYTES = 2 * 1024 * 1024;
const DEADLINE_MS = 5000;
const CACHE_MS = 24 * 60 * 60 * 1000;

/** The first http(s) link of a text, without the punctuation that ends a sentence around it. */
export function firstLink(text: string): string | null {
  const match = text.match(/\bhttps?:\/\/[^\s<>"'`]+/i);
  if (!match) return null;
  const link = match[0].replace(/[.,;:!?)\]}'"]+$/, "");
  try {
    return new URL(link).toString();
  } catch {
    return null;
  }
}

function policyOf(env: Env): Policy {
  const settings = mediaSettings(env);
  return { allowHosts: settings.previewAllowHosts, publicHosts: settings.previewPublic };
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

/** The card of a URL, or null when it has none (or may not be fetched). */
export async function linkPreviewFor(
  env: Env,
  url: string,
  policy: Policy = policyOf(env),
): Promise<StoredLinkPreview | null> {
  const db = database(env.DB);
  const [cached] = await db.select().from(linkPreviews).where(eq(linkPreviews.url, url));
  if (cached && Date.now() - cached.fetchedAt.getTime() < CACHE_MS)
    return cached.preview ? (JSON.parse(cached.preview) as StoredLinkPreview) : null;
  const card = await fetchCard(env, url, policy).catch((error: unknown) => {
    console.warn("link preview fetch failed", url, error);
    return null;
  });
  const row = { url, preview: card ? JSON.stringify(card) : null, fetchedAt: new Date() };
  await db.insert(linkPreviews).values(row).onConflictDoUpdate({ target: linkPreviews.url, set: row });
  return card;
}

async function fetchCard(env: Env, url: string, policy: Policy): Promise<StoredLinkPreview | null> {
  const deadline = AbortSignal.timeout(DEADLINE_MS);
  const page = await fetchPublic(url, policy, {
    deadline,
    maxBytes: PAGE_BYTES,
    maxRedirects: 3,
    accept: "text/html,application/xhtml+xml",
  });
  if (!page || !/^(text\/html|application\/xhtml\+xml)/i.test(page.contentType)) return null;
  const card = await readCard(page.body, page.url);
  if (!card) return null;
  const imageKey = card.image ? await keepImage(env, card.image, policy, deadline) : null;
  return { url, title: card.title, description: card.description, siteName: card.siteName, imageKey };
}

/** Fetches a card's image (same rules), re-encodes it small, keeps it in R2; its key, or null. */
async function keepImage(env: Env, imageUrl: string, policy: Policy, deadline: AbortSignal) {
  const image = await fetchPublic(imageUrl, policy, {
    deadline,
    maxBytes: IMAGE_BYTES,
    maxRedirects: 3,
    accept: "image/*",
  }).catch(() => null);
  const type = image ? sniffImage(image.body) : null;
  if (!image || !type || image.body.length >= IMAGE_BYTES) return null;
  const small = scaledDown(image.body, type, { longSide: 480, orientation: 1 });
  if (!small) return null;
  const key = previewImageKey(hex(sha256(new TextEncoder().encode(imageUrl)).slice(0, 16)));
  await env.FILES.put(key, small.bytes, { httpMetadata: { contentType: small.contentType } });
  return key;
}
