import { ipIsPublic, nameIsLocal } from "./addresses";

// Fetching what someone linked, without letting them point the server at itself or its network
// (SSRF). Every hop is checked before it is fetched: the first URL and each redirect (followed by
// hand, at most 3). A target must be http(s) on the default port, and its host a public address,
// or a name whose every address (asked of DNS over HTTPS) is public. Entries of
// LINK_PREVIEW_ALLOW_HOSTS (`host` or `host:port`) are let through, for tests' own pages. The whole
// fetch, redirects and body included, stops at the deadline, and the body at `maxBytes`.
//
// Between our DNS answer and the runtime's own lookup a name could change (DNS rebinding). On
// Cloudflare the Worker's fetches leave from Cloudflare's network, which does not reach private
// networks; the check is what keeps `wrangler dev` and self-hosted workerd from being aimed at
// their own machine.

export type Policy = {
  allowHosts: string[];
  /** false: nothing but allowHosts (servers started for tests never reach the internet). */
  publicHosts?: boolean;
  resolve?: (name: string) => Promise<string[]>;
};
export type Limits = { deadline: AbortSignal; maxBytes: number; maxRedirects: number; accept: string };
export type Fetched = { url: string; contentType: string; body: Uint8Array };

const DOH = "https://cloudflare-dns.com/dns-query";

/** Every A and AAAA address of a name, from DNS over HTTPS (no answer: none). */
export async function resolveByDoh(name: string, signal?: AbortSignal): Promise<string[]> {
  const ask = async (type: "A" | "AAAA") => {
    const url = `${DOH}?name=${encodeURIComponent(name)}&type=${type}`;
    const response = await fetch(url, { headers: { accept: "application/dns-json" }, signal });
    if (!response.ok) throw new Error(`DNS lookup failed: ${response.status}`);
    const answer = (await response.json()) as { Answer?: { type: number; data: string }[] };
    return (answer.Answer ?? [])
      .filter((record) => record.type === 1 || record.type === 28)
      .map((r) => r.data);
  };
  const [v4, v6] = await Promise.all([ask("A"), ask("AAAA")]);
  return [...v4, ...v6];
}

function allowed(url: URL, allowHosts: string[]): boolean {
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  return allowHosts.some((entry) => entry === host || entry === hostname);
}

/** Why this URL may not be fetched, or null when it may. */
export async function refusalFor(url: URL, policy: Policy, signal?: AbortSignal): Promise<string | null> {
  if (url.protocol !== "http:" && url.protocol !== "https:") return "not http(s)";
  if (url.username || url.password) return "credentials in the URL";
  if (allowed(url, policy.allowHosts)) return null;
  if (policy.publicHosts === false) return "only LINK_PREVIEW_ALLOW_HOSTS may be fetched here";
  if (url.port !== "") return "not the default port";
  const literal = ipIsPublic(url.hostname);
  if (literal !== null) return literal ? null : "not a public address";
  if (nameIsLocal(url.hostname)) return "a local name";
  const addresses = await (policy.resolve ?? ((name) => resolveByDoh(name, signal)))(url.hostname);
  if (addresses.length === 0) return "the name does not resolve";
  return addresses.every((address) => ipIsPublic(address) === true)
    ? null
    : "resolves to a non-public address";
}

async function readAtMost(response: Response, maxBytes: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  await reader.cancel().catch(() => undefined); // stop the transfer: we have what we read
  const body = new Uint8Array(Math.min(length, maxBytes));
  let at = 0;
  for (const chunk of chunks) {
    const piece = chunk.subarray(0, body.length - at);
    body.set(piece, at);
    at += piece.length;
    if (at >= body.length) break;
  }
  return body;
}

/** Fetches a public URL under the rules above; null when refused, failed, or not a 200. */
export async function fetchPublic(start: string, policy: Policy, limits: Limits): Promise<Fetched | null> {
  let url: URL;
  try {
    url = new URL(start);
  } catch {
    return null;
  }
  for (let hop = 0; hop <= limits.maxRedirects; hop++) {
    if (await refusalFor(url, policy, limits.deadline)) return null;
    const response = await fetch(url.toString(), {
      redirect: "manual",
      signal: limits.deadline,
      headers: { accept: limits.accept, "user-agent": "HubbubBot/1.0 (link preview)" },
    });
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      continue;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return null;
    }
    const body = await readAtMost(response, limits.maxBytes);
    return { url: url.toString(), contentType: response.headers.get("content-type") ?? "", body };
  }
  return null; // too many redirects
}
