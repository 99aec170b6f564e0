import { createApp } from "./app";

// The Worker: the Hono app answers /api/*; everything else is the web client, served from static
// assets by the platform before the Worker runs (see [assets] in wrangler.toml).
export default createApp() satisfies ExportedHandler<Env>;

export { RateLimiter } from "./limits/rate-limiter";
// The Durable Object classes the runtime instantiates (bound as ROOMS and USER_CHANNELS).
export { Room } from "./room-object/room";
export { UserChannel } from "./user-channel/user-channel";
