import { createRoute, z } from "@hono/zod-openapi";
import { bearerSecurity, errorResponses, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { type IceServer, IceServerSchema, iceServers, TURN_CREDENTIAL_TTL_S } from "./ice-servers";

// GET /api/calls/ice-servers: what a browser passes to `new RTCPeerConnection({iceServers})`. Any
// signed-in user may ask (API.md); TURN credentials are minted per user and kept in the data
// centre's cache for half their lifetime, so asking again costs Cloudflare's TURN service nothing.

const IceServerList = z.object({ iceServers: IceServerSchema.array() }).openapi("IceServers", {
  example: {
    iceServers: [
      { urls: ["stun:stun.cloudflare.com:3478"] },
      {
        urls: ["turn:turn.cloudflare.com:3478?transport=udp", "turns:turn.cloudflare.com:443?transport=tcp"],
        username: "g0a1b2c3d4e5f6…",
        credential: "7e8f9a0b1c2d…",
      },
    ],
  },
});

const getIceServers = createRoute({
  method: "get",
  path: "/ice-servers",
  operationId: "getIceServers",
  tags: ["Calls"],
  security: bearerSecurity,
  summary: "ICE servers (STUN, and TURN with short-lived credentials) for a call",
  description: `Built from the settings: \`STUN_URLS\`, and with \`TURN_KEY_ID\` and \`TURN_KEY_API_TOKEN\`,
TURN credentials from Cloudflare's TURN service that expire after ${TURN_CREDENTIAL_TTL_S / 3600} hours
(URLs on port 53, which browsers refuse, are left out). With nothing set the list is empty: browsers on
one machine or network connect over host candidates. If the TURN service fails, the list has STUN only.`,
  responses: {
    200: jsonResponse(IceServerList, "Pass `iceServers` to RTCPeerConnection."),
    ...errorResponses(401),
  },
});

/** The cache key of one user's TURN credentials (the Cache API keys by URL; this host is never fetched). */
const cacheKey = (userId: string) =>
  new Request(`https://ice-servers.hubbub.internal/${encodeURIComponent(userId)}`);

export const iceServerRoutes = signedInRoutes().openapi(getIceServers, async (c) => {
  // Credentials are the caller's own: no shared cache in between may keep them.
  c.header("cache-control", "no-store");
  return c.json({ iceServers: await cachedIceServers(c.env, c.var.user.id, c.executionCtx) }, 200);
});

async function cachedIceServers(
  env: Env,
  userId: string,
  ctx: { waitUntil(promise: Promise<unknown>): void },
): Promise<IceServer[]> {
  if (!env.TURN_KEY_ID || !env.TURN_KEY_API_TOKEN) return iceServers(env);
  const cache = caches.default;
  const key = cacheKey(userId);
  const cached = await cache.match(key);
  if (cached) return IceServerSchema.array().parse(await cached.json());
  const servers = await iceServers(env);
  // Only minted credentials are kept; a failed mint is tried again on the next call.
  if (servers.some((server) => server.credential)) {
    const keep = new Response(JSON.stringify(servers), {
      headers: { "cache-control": `max-age=${TURN_CREDENTIAL_TTL_S / 2}` },
    });
    ctx.waitUntil(cache.put(key, keep));
  }
  return servers;
}
