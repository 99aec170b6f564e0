import type { AppEnv } from "./app-env";
import { demoRoutes } from "./auth/demo-routes";
import { authRoutes } from "./auth/routes";
import { iceServerRoutes } from "./calls/routes";
import { docsRoutes } from "./http/docs";
import { ApiError, errorResponse, handleError } from "./http/errors";
import { securitySchemes } from "./http/openapi";
import { openRoutes } from "./http/routers";
import { apiSecurityHeaders, corsFromSettings, limitBodySize } from "./http/security";
import { fileRoutes } from "./media/file-routes";
import { attachmentRoutes } from "./rooms/attachment-routes";
import { callRoutes } from "./rooms/call-routes";
import { conversationRoutes } from "./rooms/conversation-routes";
import { directRoutes } from "./rooms/direct-routes";
import { memberRoutes } from "./rooms/member-routes";
import { messageRoutes } from "./rooms/message-routes";
import { moderationRoutes } from "./rooms/moderation-routes";
import { reportRoutes } from "./rooms/report-routes";
import { roomRoutes } from "./rooms/room-routes";
import { roomSearchRoutes, searchRoutes } from "./rooms/search-routes";
import { socketRoutes } from "./rooms/socket-routes";
import { avatarRoutes } from "./users/avatar-routes";
import { blockRoutes } from "./users/block-routes";
import { userRoutes } from "./users/routes";

// The Worker's front door. Every /api request passes the same middleware in this order:
// security headers → CORS (only if configured) → a 64 KiB body limit → the route, whose zod schema
// validates input and documents it in /api/openapi.json. Errors of any kind leave in one JSON shape.
//
// Adding a group of routes: a module that starts from signedInRoutes() (or openRoutes()) and chains
// `.openapi(route, handler)`, then one `.route(...)` line below. The chain's type is AppType, which
// the web client's `hc<AppType>` is checked against.

function routes() {
  return (
    openRoutes()
      .route("/api/auth", authRoutes)
      .route("/api/auth", demoRoutes)
      .route("/api/users", userRoutes)
      .route("/api/users", blockRoutes)
      .route("/api/users", avatarRoutes)
      // Files are fetched by signed URL (an <img> sends no bearer token): before the signed-in groups.
      .route("/api/files", fileRoutes)
      // Sockets first: their routes authenticate with ?token= rather than the Authorization header,
      // and Hono runs handlers in the order they were added.
      .route("/api", socketRoutes)
      .route("/api/search", searchRoutes)
      .route("/api/rooms", messageRoutes)
      .route("/api/rooms", roomSearchRoutes)
      .route("/api/rooms", attachmentRoutes)
      .route("/api/rooms", conversationRoutes)
      .route("/api/rooms", directRoutes)
      .route("/api/rooms", memberRoutes)
      .route("/api/rooms", moderationRoutes)
      .route("/api/rooms", reportRoutes)
      .route("/api/rooms", roomRoutes)
      .route("/api/rooms", callRoutes)
      .route("/api/calls", iceServerRoutes)
  );
}

/** The API's type, for `hc<AppType>()` in the web client and the tests. */
export type AppType = ReturnType<typeof routes>;

export function createApp() {
  const app = openRoutes();
  app.use("/api/*", apiSecurityHeaders, corsFromSettings, limitBodySize);
  app.route("/", routes());
  app.route("/api/docs", docsRoutes);

  for (const [name, scheme] of Object.entries(securitySchemes)) {
    app.openAPIRegistry.registerComponent("securitySchemes", name, scheme);
  }
  app.doc31("/api/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Hubbub API",
      version: "0.1.0",
      description: `Real-time chat on Cloudflare Workers and Durable Objects.
Every error is \`{"error": {"code", "message", "details"?}}\` with a fitting HTTP status.
Request bodies are JSON (at most 64 KiB).`,
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));

  app.notFound((c) =>
    errorResponse(
      c,
      new ApiError("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`),
    ),
  );
  app.onError(handleError);
  return app;
}

export type { AppEnv };
