import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { rateLimited } from "../http/errors";
import { clientAddress } from "./client-address";
import type { Backoff, Rate, Verdict } from "./rate-limiter";
import { type RuleName, rateOf, rules } from "./rules";

// How the routes use the limits of ./rules.ts. A route that costs the server work, or that an abuser
// would repeat, adds one line to its definition:
//
//   middleware: [limit("createRoom")],
//
// which counts the call (per person, or per client address, as the rule says) before anything else
// runs, and answers 429 `rate_limited` with Retry-After once the rule's rate is spent.

/** The RateLimiter object of one key. */
export function limiter(env: Env, key: string) {
  return env.RATE_LIMITERS.get(env.RATE_LIMITERS.idFromName(key));
}

export function retryAfterSeconds(verdict: Verdict & { ok: false }): number {
  return Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
}

const refusal = (what: string, verdict: Verdict & { ok: false }) =>
  rateLimited(`Too many ${what}. Try again in ${retryAfterSeconds(verdict)} s.`, retryAfterSeconds(verdict));

/** Whom a rule counts: the signed-in person, or the client address. */
function subject(c: Context<AppEnv>, name: RuleName): string {
  if (rules[name].per === "address") return clientAddress(c.req.raw.headers);
  const user = c.get("user");
  // A per-person rule on a route without sign-in is a mistake in the route, not the client's fault.
  if (!user) throw new Error(`limit("${name}") needs a signed-in route`);
  return user.id;
}

/** Takes one call of a rule for this request, or throws 429 with Retry-After. */
export async function takeLimit(c: Context<AppEnv>, name: RuleName): Promise<Rate> {
  const rate = rateOf(c.env, name);
  const verdict = await limiter(c.env, `${name}:${subject(c, name)}`).take(rate);
  if (!verdict.ok) throw refusal(rules[name].what, verdict);
  return rate;
}

/** The route middleware: `middleware: [limit("createRoom")]`. */
export function limit(name: RuleName) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await takeLimit(c, name);
    await next();
  });
}

/** One attempt under a back-off (see RateLimiter.attempt); throws 429 while the key must wait. */
export async function attemptUnder(env: Env, key: string, backoff: Backoff, what: string): Promise<void> {
  const verdict = await limiter(env, key).attempt(backoff);
  if (!verdict.ok) throw refusal(what, verdict);
}
