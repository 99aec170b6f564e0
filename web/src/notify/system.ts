// System notifications, through the service worker (web/service-worker/): Chrome for Android
// refuses `new Notification()` outright, and a worker's notification can open the app even after
// the tab was closed. Where no worker is running (the Vite dev server), the page's own
// Notification is the fallback. Permission is asked for only from a click (askPermission), never
// on load: browsers penalise sites that ask unprompted, and people deny what they did not ask for.

export type Permission = NotificationPermission | "unsupported";

export function notificationPermission(): Permission {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

/** Call from a click or key press: browsers only show the prompt for a user gesture. */
export async function askPermission(): Promise<Permission> {
  if (typeof Notification === "undefined") return "unsupported";
  return Notification.requestPermission();
}

/** The tag that groups one room's notifications into one (a newer one replaces the older). */
const tagOf = (roomId: string) => `room-${roomId}`;

export async function showSystemNotification(notice: { roomId: string; title: string; body: string }) {
  if (notificationPermission() !== "granted") return;
  const options: NotificationOptions = {
    body: notice.body,
    tag: tagOf(notice.roomId),
    icon: "/icon-192.png",
    badge: "/icon-192.png",
    data: { roomId: notice.roomId },
  };
  const registration = await workerRegistration();
  if (registration) {
    await registration.showNotification(notice.title, options);
    return;
  }
  const shown = new Notification(notice.title, options);
  shown.onclick = () => {
    window.focus();
    for (const listener of openRoomListeners) listener(notice.roomId);
    shown.close();
  };
}

/** Opening a room clears what its notifications said. */
export async function clearRoomNotifications(roomId: string): Promise<void> {
  const registration = await workerRegistration();
  const shown = (await registration?.getNotifications({ tag: tagOf(roomId) })) ?? [];
  for (const notification of shown) notification.close();
}

/** The app's worker once it is active (it installs in the background on the first visit). */
async function workerRegistration(): Promise<ServiceWorkerRegistration | null> {
  if (!("serviceWorker" in navigator)) return null;
  const registration = await navigator.serviceWorker.getRegistration();
  return registration ? navigator.serviceWorker.ready : null;
}

const openRoomListeners = new Set<(roomId: string) => void>();

/** A click on one of our notifications: the app opens its room (no reload, the socket stays). */
export function onNotificationOpensRoom(listener: (roomId: string) => void): () => void {
  openRoomListeners.add(listener);
  const fromWorker = (event: MessageEvent) => {
    const data: unknown = event.data;
    if (typeof data === "object" && data !== null && "openRoom" in data && typeof data.openRoom === "string")
      listener(data.openRoom);
  };
  navigator.serviceWorker?.addEventListener("message", fromWorker);
  return () => {
    openRoomListeners.delete(listener);
    navigator.serviceWorker?.removeEventListener("message", fromWorker);
  };
}

/** The service worker: notifications, and the app's shell cached for an offline start. */
export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker
    .register("/sw.js")
    .catch((error: unknown) => console.warn("no service worker", error));
}
