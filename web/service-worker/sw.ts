/// <reference lib="webworker" />

// Hubbub's service worker, served as /sw.js. It does two things:
// - Notifications (web/src/notify/system.ts shows them through it, because Chrome for Android
//   refuses `new Notification()`): a click focuses an open window and tells it which room to open,
//   or opens the room in a new one.
// - An offline start: the built app shell (index.html, the hashed scripts and styles, the icons
//   and the manifest) is cached when the worker installs, so the app opens without a network and
//   says it is offline. Navigations try the network first (a deploy is seen at once) and fall back
//   to the cached page; the hashed files come from the cache. /api is never cached or answered
//   here: messages are the server's, and a stale one is worse than none.
//
// web/build/service-worker.ts puts the list of built files and a version in front of this file at
// build time, so a new deploy gets a new cache and the old one is removed.

// A module (so `self` can be declared as what it is here); the build leaves no export in sw.js.
export type {};

declare const self: ServiceWorkerGlobalScope;
declare const HUBBUB_SHELL: string[];
declare const HUBBUB_SHELL_VERSION: string;

const CACHE_PREFIX = "hubbub-shell-";
const CACHE = `${CACHE_PREFIX}${HUBBUB_SHELL_VERSION}`;
/** web/public files the page needs to start (Swagger UI is left out: the docs need the API anyway). */
const PUBLIC_FILES = [
  "/",
  "/manifest.webmanifest",
  "/favicon.svg",
  "/favicon.ico",
  "/icon-192.png",
  "/icon-512.png",
];
const SHELL_PATHS = new Set([...PUBLIC_FILES, ...HUBBUB_SHELL]);

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll([...PUBLIC_FILES, ...HUBBUB_SHELL]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys())
        if (key.startsWith(CACHE_PREFIX) && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === "/api" || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => cachedOr("/", () => Response.error())));
  } else if (SHELL_PATHS.has(url.pathname)) {
    event.respondWith(cachedOr(url.pathname, () => fetch(request)));
  }
});

async function cachedOr(path: string, otherwise: () => Response | Promise<Response>): Promise<Response> {
  const cache = await caches.open(CACHE);
  return (await cache.match(path)) ?? otherwise();
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data: unknown = event.notification.data;
  const roomId =
    typeof data === "object" && data !== null && "roomId" in data && typeof data.roomId === "string"
      ? data.roomId
      : null;
  event.waitUntil(openRoom(roomId));
});

/** Into an open window of the app if there is one (it navigates itself, keeping its sockets). */
async function openRoom(roomId: string | null): Promise<void> {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows[0];
  if (open) {
    await open.focus();
    if (roomId) open.postMessage({ openRoom: roomId });
    return;
  }
  await self.clients.openWindow(roomId ? `/rooms/${encodeURIComponent(roomId)}` : "/");
}
