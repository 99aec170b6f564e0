// Who is calling, as far as the network can tell: Cloudflare puts the client's IP address in
// CF-Connecting-IP (and overwrites whatever a client sent there). Locally, wrangler dev sets it to
// the loopback address unless the request already has one, so a test may set it to stand for many
// people. Without it (e.g. a Worker test) every caller counts as one "unknown" address.
//
// An IPv6 client usually holds a whole /64 (often far more): counting each of its 2^64 addresses
// apart would make a per-address limit worthless, so a v6 address counts by its /64 prefix.

export const UNKNOWN_ADDRESS = "unknown";

export function clientAddress(headers: Headers): string {
  const raw = headers.get("CF-Connecting-IP")?.trim().toLowerCase();
  if (!raw) return UNKNOWN_ADDRESS;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(raw)) return raw;
  return ipv6Prefix(raw) ?? UNKNOWN_ADDRESS;
}

/** The first four groups of an IPv6 address ("2001:db8:0:1::/64"), or null if it is none. */
function ipv6Prefix(address: string): string | null {
  if (!/^[0-9a-f:.]+$/.test(address) || !address.includes(":")) return null;
  const [head = "", tail = "", ...more] = address.split("::");
  if (more.length > 0) return null;
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  // An embedded IPv4 address (::ffff:192.0.2.1) fills the last two groups.
  const last = tailGroups.at(-1) ?? headGroups.at(-1) ?? "";
  const v4Groups = last.includes(".") ? 1 : 0;
  const missing = 8 - headGroups.length - tailGroups.length - v4Groups;
  if (missing < 0 || (missing > 0 && !address.includes("::"))) return null;
  const groups = [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  if (groups.slice(0, 4).some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return null;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
