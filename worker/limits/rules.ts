import type { Backoff, Rate } from "./rate-limiter";

// Every limit of the API, in one table: its setting (a var in wrangler.toml), its default and whom
// it counts. A setting reads "<count>/<period>", e.g. "20/1h": that many calls per period, all at
// once after a quiet spell (periods in s, m, h or d). README.md and SECURITY.md list them all.
//
// Adding a limit: one entry here, then `middleware: [limit("name")]` on the route (see ./limit.ts).

type Rule = { setting: keyof Env & string; fallback: string; per: "user" | "address"; what: string };

export const rules = {
  signUp: {
    setting: "RATE_SIGNUP_PER_ADDRESS",
    fallback: "20/1h",
    per: "address",
    what: "sign-ups from one client address",
  },
  signIn: {
    setting: "RATE_SIGNIN_PER_ADDRESS",
    fallback: "60/15m",
    per: "address",
    what: "sign-in attempts from one client address, whatever the username (a right password gives its call back)",
  },
  createRoom: {
    setting: "RATE_CREATE_ROOM_PER_USER",
    fallback: "20/1h",
    per: "user",
    what: "rooms one person creates",
  },
  openDirect: {
    setting: "RATE_DIRECT_ROOM_PER_USER",
    fallback: "60/10m",
    per: "user",
    what: "direct rooms one person opens (new or existing)",
  },
  discoverRooms: {
    setting: "RATE_DISCOVER_PER_USER",
    fallback: "60/1m",
    per: "user",
    what: "public-room searches by one person",
  },
  searchUsers: {
    setting: "RATE_USER_SEARCH_PER_USER",
    fallback: "60/1m",
    per: "user",
    what: "people searches by one person",
  },
  searchMessages: {
    setting: "RATE_SEARCH_PER_USER",
    fallback: "60/1m",
    per: "user",
    what: "message searches by one person (one room or all of theirs, which asks up to 100 rooms)",
  },
  edit: {
    setting: "RATE_EDIT_PER_USER",
    fallback: "60/1m",
    per: "user",
    what: "edits by one person (messages edited or deleted, profile and room changes)",
  },
  report: {
    setting: "RATE_REPORT_PER_USER",
    fallback: "20/1h",
    per: "user",
    what: "reports by one person",
  },
  socketTicket: {
    setting: "RATE_SOCKET_TICKET_PER_USER",
    fallback: "60/1m",
    per: "user",
    what: "socket tickets one person asks for",
  },
} as const satisfies Record<string, Rule>;

export type RuleName = keyof typeof rules;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "20/1h" → 20 calls per hour; null if it does not read as a rate. */
export function parseRate(text: string): Rate | null {
  const match = /^\s*(\d+)\s*\/\s*(\d*)\s*([smhd])\s*$/.exec(text);
  if (!match) return null;
  const count = Number(match[1]);
  const periodMs = Number(match[2] || 1) * UNIT_MS[match[3] as keyof typeof UNIT_MS];
  return count >= 1 && periodMs >= 1000 ? { count, periodMs } : null;
}

/** A rule's rate from its setting; a missing or unreadable setting falls back to the default. */
export function rateOf(env: Env, name: RuleName): Rate {
  const rule: Rule = rules[name];
  const configured = env[rule.setting];
  const rate = typeof configured === "string" ? parseRate(configured) : null;
  if (!rate && configured !== undefined)
    console.warn(`${rule.setting}="${String(configured)}" is not "<count>/<period>"; using ${rule.fallback}`);
  return rate ?? (parseRate(rule.fallback) as Rate);
}

/** A whole number from a setting, or the default. */
export function numberSetting(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(parsed) && parsed >= 0
    ? parsed
    : fallback;
}

/**
 * The sign-in back-off of one (username, client address): SIGNIN_FREE_FAILURES wrong passwords,
 * then each further attempt waits SIGNIN_BACKOFF_BASE_S · 2^k seconds after the last one, at most
 * SIGNIN_BACKOFF_MAX_S; failures are forgotten SIGNIN_FAILURE_MEMORY_S after the last one, or at once
 * when the right password is given.
 */
export function signInBackoff(env: Env): Backoff {
  return {
    free: numberSetting(env.SIGNIN_FREE_FAILURES, 5),
    baseMs: numberSetting(env.SIGNIN_BACKOFF_BASE_S, 1) * 1000,
    maxMs: numberSetting(env.SIGNIN_BACKOFF_MAX_S, 900) * 1000,
    memoryMs: numberSetting(env.SIGNIN_FAILURE_MEMORY_S, 86_400) * 1000,
  };
}
