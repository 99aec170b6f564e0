import { z } from "@hono/zod-openapi";

// The ICE servers a browser needs for a call (GET /api/calls/ice-servers), from the settings:
// STUN_URLS (comma-separated), and with TURN_KEY_ID and TURN_KEY_API_TOKEN, short-lived TURN
// credentials minted by Cloudflare's TURN service. That call follows Cloudflare's documented API
// (POST {TURN_API_BASE}/turn/keys/{keyId}/credentials/generate-ice-servers, a bearer token, a TTL;
// 201 {iceServers}); the tests run it against a stand-in of that one endpoint, never the real one.
//
// Two browsers on one machine or network need none of it: they connect over host candidates. So
// with nothing set the list is empty, and when TURN cannot be reached the call still gets STUN.

export const IceServerSchema = z
  .object({
    urls: z.union([z.string(), z.string().array()]),
    username: z.string().optional(),
    credential: z.string().optional(),
  })
  .openapi("IceServer", {
    example: {
      urls: ["turn:turn.cloudflare.com:3478?transport=udp", "turns:turn.cloudflare.com:443?transport=tcp"],
      username: "g0a1b2c3d4e5f6…",
      credential: "7e8f9a0b1c2d…",
    },
  });
export type IceServer = z.infer<typeof IceServerSchema>;

/** How long minted TURN credentials last: longer than any call, far shorter than the key. */
export const TURN_CREDENTIAL_TTL_S = 86_400;

const TurnAnswerSchema = z.object({ iceServers: IceServerSchema.array() });

type IceSettings = Pick<Env, "STUN_URLS" | "TURN_KEY_ID" | "TURN_KEY_API_TOKEN" | "TURN_API_BASE">;

export async function iceServers(settings: IceSettings): Promise<IceServer[]> {
  const stun = (settings.STUN_URLS ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter(Boolean);
  const servers: IceServer[] = stun.length > 0 ? [{ urls: stun }] : [];
  if (settings.TURN_KEY_ID && settings.TURN_KEY_API_TOKEN) servers.push(...(await mintTurn(settings)));
  return servers;
}

/** TURN credentials for one caller, or none when the service fails (the call may still connect). */
async function mintTurn(settings: IceSettings): Promise<IceServer[]> {
  const base = (settings.TURN_API_BASE || "https://rtc.live.cloudflare.com/v1").replace(/\/+$/, "");
  const url = `${base}/turn/keys/${encodeURIComponent(settings.TURN_KEY_ID)}/credentials/generate-ice-servers`;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${settings.TURN_KEY_API_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ ttl: TURN_CREDENTIAL_TTL_S }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const answer = TurnAnswerSchema.parse(await response.json());
    return answer.iceServers.map(withoutPort53).filter((server) => server.urls.length > 0);
  } catch (error) {
    console.error("minting TURN credentials failed", error);
    return [];
  }
}

/**
 * The service also lists port 53 (for networks that only let DNS out), which Chrome and Firefox
 * refuse to use: a browser would only wait on those, so they are left out.
 */
function withoutPort53(server: IceServer): IceServer & { urls: string[] } {
  const urls = typeof server.urls === "string" ? [server.urls] : server.urls;
  return { ...server, urls: urls.filter((url) => !/:53(\?|$)/.test(url)) };
}
