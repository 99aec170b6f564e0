// Which addresses a link preview may fetch: public ones only. Loopback, private, link-local,
// carrier-grade NAT, multicast, documentation and reserved ranges are refused, for IPv4 and IPv6,
// including IPv4 hidden inside IPv6 (mapped, NAT64, 6to4). Host names are checked by name first
// (localhost and the local-only suffixes) and then by every address they resolve to.

type Range = [network: number, bits: number];

const ipv4Blocked: Range[] = [
  [0x00000000, 8], // "this network"
  [0x0a000000, 8], // 10/8 private
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local (cloud metadata lives here)
  [0xac100000, 12], // 172.16/12 private
  [0xc0000000, 24], // 192.0.0/24 protocol assignments
  [0xc0000200, 24], // 192.0.2/24 documentation
  [0xc0a80000, 16], // 192.168/16 private
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xc6336400, 24], // 198.51.100/24 documentation
  [0xcb007100, 24], // 203.0.113/24 documentation
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, and the broadcast address
];

/** An IPv4 address in dotted form as a number, or null. */
export function parseIpv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value;
}

function ipv4IsPublic(address: number): boolean {
  return !ipv4Blocked.some(([network, bits]) => {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (address & mask) >>> 0 === network;
  });
}

/** An IPv6 address (without brackets) as its eight 16-bit groups, or null. */
export function parseIpv6(text: string): number[] | null {
  let tail: number[] = [];
  let body = text.toLowerCase();
  const dotted = body.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4 = parseIpv4(dotted[2] ?? "");
    if (v4 === null) return null;
    tail = [v4 >>> 16, v4 & 0xffff];
    body = dotted[1] ?? "";
    if (body.endsWith(":") && !body.endsWith("::")) body = body.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const head = groups(halves[0] ?? "");
  const rest = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if (![...head, ...rest].every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  const missing = 8 - head.length - rest.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const zeros = halves.length === 2 ? new Array<number>(missing).fill(0) : [];
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...rest.map((g) => parseInt(g, 16)), ...tail];
}

function ipv6IsPublic(groups: number[]): boolean {
  const [a = 0, b = 0] = groups;
  const embedded = (high: number, low: number) => (((groups[high] ?? 0) << 16) >>> 0) + (groups[low] ?? 0);
  if (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || groups[5] === 0))
    return groups[5] === 0xffff && ipv4IsPublic(embedded(6, 7)); // ::ffff:a.b.c.d, and ::, ::1, ::a.b.c.d
  if (a === 0x64 && b === 0xff9b) return ipv4IsPublic(embedded(6, 7)); // NAT64
  if (a === 0x2002) return ipv4IsPublic(embedded(1, 2)); // 6to4
  if ((a & 0xe000) !== 0x2000) return false; // only 2000::/3 is global unicast
  if (a === 0x2001 && (b === 0x0db8 || b === 0)) return false; // documentation, Teredo
  return true;
}

/** Whether a literal IP address (IPv4 dotted, or IPv6 with or without brackets) is public; null if not an IP. */
export function ipIsPublic(host: string): boolean | null {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const v4 = parseIpv4(bare);
  if (v4 !== null) return ipv4IsPublic(v4);
  const v6 = bare.includes(":") ? parseIpv6(bare) : null;
  if (v6) return ipv6IsPublic(v6);
  return bare.includes(":") ? false : null; // something IPv6-like that does not parse is refused
}

/** Names that only ever mean this machine or its local network. */
export function nameIsLocal(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (!name.includes(".")) return true; // "localhost", intranet names
  return /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/.test(name);
}
