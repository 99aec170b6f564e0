import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../app-env";
import { isRawUpload } from "../media/raw-body";
import { ApiError, errorResponse } from "./errors";

export const MAX_BODY_BYTES = 64 * 1024;

const common = {
  referrerPolicy: "no-referrer",
  xFrameOptions: "DENY",
  crossOriginResourcePolicy: "same-origin",
};

// API responses are data, never documents: nothing in them may load or be framed.
const dataHeaders = secureHeaders({
  ...common,
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
});

// /api/docs is a page (Swagger UI): scripts and styles from our own origin only. Swagger UI sets
// inline styles and shows data: images; it loads nothing from anywhere else.
const docsHeaders = secureHeaders({
  ...common,
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
});

// Files people uploaded (/api/files/…) may be anything: opened on their own they run nothing (a
// sandboxed, script-less document), may be shown inside our own page only, and what may not be
// shown is a download (media/file-routes.ts decides which).
const fileHeaders = secureHeaders({
  ...common,
  xFrameOptions: "SAMEORIGIN",
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    imgSrc: ["'self'"],
    mediaSrc: ["'self'"],
    styleSrc: ["'unsafe-inline'"],
    sandbox: [],
    frameAncestors: ["'self'"],
  },
});

/**
 * Security headers for everything under /api. The web client's own are in web/public/_headers.
 * A WebSocket upgrade is left alone: a 101 response's headers cannot be changed, and it is no document.
 */
export const apiSecurityHeaders: MiddlewareHandler<AppEnv> = (c, next) => {
  if (c.req.header("Upgrade")?.toLowerCase() === "websocket") return next();
  if (c.req.path.startsWith("/api/files/")) return fileHeaders(c, next);
  return c.req.path.startsWith("/api/docs") ? docsHeaders(c, next) : dataHeaders(c, next);
};

const limitJsonBodySize = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) =>
    errorResponse(c, new ApiError("payload_too_large", "The request body is larger than 64 KiB.")),
});

/** Refuses bodies over 64 KiB with 413 before anything reads them; uploads have their own limits. */
export const limitBodySize: MiddlewareHandler<AppEnv> = (c, next) =>
  isRawUpload(c.req.method, c.req.path) ? next() : limitJsonBodySize(c, next);

function allowedOrigins(setting: string | undefined): string[] {
  return (setting ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/**
 * A cross-site page must not open sockets with a visitor's credentials: an upgrade that carries an
 * `Origin` must come from the app's own origin or one listed in CORS_ORIGINS (`null` never does).
 * No `Origin` at all is a non-browser client (wscat, a server), which holds its own token.
 */
export function socketOriginAllowed(
  requestUrl: string,
  origin: string | undefined,
  setting: string | undefined,
) {
  if (origin === undefined) return true;
  return origin === new URL(requestUrl).origin || allowedOrigins(setting).includes(origin);
}

/**
 * CORS is closed by default: the web client is served from the same origin and needs none.
 * `CORS_ORIGINS` (comma-separated) opens the API to the listed origins only.
 */
export const corsFromSettings: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  const origins = allowedOrigins(c.env.CORS_ORIGINS);
  if (origins.length === 0) return next();
  return cors({
    origin: (origin) => (origins.includes(origin) ? origin : null),
    allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type"],
    exposeHeaders: ["Retry-After"],
    maxAge: 600,
  })(c, next);
});
