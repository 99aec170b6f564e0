import { createApp } from "./app";

// The Worker: the Hono app answers /api/*; everything else is the web client, served from static
// assets by the platform before the Worker runs (see [assets] in wrangler.toml).
export default createApp() satisfies ExportedHandler<Env>;
