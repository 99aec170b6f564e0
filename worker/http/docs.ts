import { Hono } from "hono";
import type { AppEnv } from "../app-env";

// A browsable API reference at /api/docs, Swagger UI with no CDN: its files are copied from the
// swagger-ui-dist package into the static assets (/vendor/swagger-ui/) by the web build.

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Hubbub API</title>
  <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
});`;

export const docsRoutes = new Hono<AppEnv>()
  // Its Content-Security-Policy is set with the other headers, in security.ts.
  .get("/", (c) => c.html(page))
  .get("/init.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    return c.body(init);
  });
