import { useEffect, useState } from "preact/hooks";

// Two places exist: the room list (/) and a room (/rooms/<id>). Deep links work on reload because
// the Worker serves the app for any path that is not a file (single-page-application handling).

export function roomIdFromPath(pathname: string): string | null {
  const match = /^\/rooms\/([^/]+)\/?$/.exec(pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

export function navigate(path: string): void {
  if (location.pathname === path) return;
  history.pushState(null, "", path);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function useRoomRoute(): string | null {
  const [roomId, setRoomId] = useState(() => roomIdFromPath(location.pathname));
  useEffect(() => {
    const update = () => setRoomId(roomIdFromPath(location.pathname));
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return roomId;
}
