import ReconnectingWebSocket from "partysocket/ws";
import { answer } from "../api/answers";
import { api } from "../api/client";
import { AuthFailure, tokenRefused } from "../api/session";
import { type Batched, type ClientFrame, CloseCode } from "../api/types";

// One reconnecting WebSocket (partysocket's, with its exponential backoff) plus what chat needs on
// top: a fresh one-time ticket on every connect (POST /api/auth/ticket: no token in the socket's URL,
// which request logs keep), random jitter so a server restart is not met by every
// client at the same instant, no retry once the session is over or the server closed us on purpose,
// and a plain state for the UI: connecting, live, reconnecting, offline.

export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline" | "closed";

export type LiveSocketOptions<Frame extends { type: string }> = {
  /** The path and query to connect to, asked anew on every (re)connect, e.g. with a fresh since=. */
  path: () => string;
  onFrame: (frame: Frame) => void;
  onState?: (state: ConnectionState) => void;
  /** The server ended the socket on purpose (e.g. removed from the room); no reconnect follows. */
  onEnded?: (code: number, reason: string) => void;
};

export type LiveSocket = { send: (frame: ClientFrame) => boolean; close: () => void };

const FINAL_CLOSE_CODES: number[] = [CloseCode.removedFromRoom, CloseCode.roomDeleted];
const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;

export function openLiveSocket<Frame extends { type: string }>(
  options: LiveSocketOptions<Frame>,
): LiveSocket {
  let state: ConnectionState = "connecting";
  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    options.onState?.(next);
  };

  const socket: ReconnectingWebSocket = new ReconnectingWebSocket(
    async () => {
      if (socket.retryCount > 1) {
        // partysocket's backoff, plus up to half of it again at random.
        const backoff = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 1.6 ** (socket.retryCount - 1));
        await new Promise((resolve) => setTimeout(resolve, Math.random() * backoff * 0.5));
      }
      let ticket: string;
      try {
        // api refreshes the access token first if it is about to expire, or once if it is refused.
        ticket = (await answer(api.auth.ticket.$post())).ticket;
      } catch (error) {
        // The session is over: stop for good (the app shows the sign-in screen).
        if (error instanceof AuthFailure) socket.close();
        throw error;
      }
      const origin = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`;
      const path = options.path();
      // batch=1: frames ready in the same turn come as one `batch` frame (one send per socket per tick).
      return `${origin}/api${path}${path.includes("?") ? "&" : "?"}batch=1&ticket=${encodeURIComponent(ticket)}`;
    },
    [],
    {
      minReconnectionDelay: MIN_DELAY_MS,
      maxReconnectionDelay: MAX_DELAY_MS,
      reconnectionDelayGrowFactor: 1.6,
      connectionTimeout: 8000,
      shouldReconnectOnClose: (event) => !FINAL_CLOSE_CODES.includes(event.code),
    },
  );

  socket.addEventListener("open", () => setState("live"));
  socket.addEventListener("close", (event) => {
    // 4001: the token expired or the session ended. Refresh before the next ticket: a new token if
    // it expired, or a refused refresh (and the sign-in screen) if the session is over.
    if (event.code === CloseCode.sessionEnded) tokenRefused();
    if (FINAL_CLOSE_CODES.includes(event.code)) {
      setState("closed");
      options.onEnded?.(event.code, event.reason);
    } else if (state !== "closed") {
      setState(navigator.onLine ? "reconnecting" : "offline");
    }
  });
  socket.addEventListener("message", (event) => {
    if (typeof event.data !== "string") return;
    try {
      const received = JSON.parse(event.data) as Batched<Frame>;
      if (received.type === "batch" && "frames" in received)
        for (const frame of received.frames) options.onFrame(frame);
      else options.onFrame(received as Frame);
    } catch (error) {
      console.error("bad frame from server", error);
    }
  });

  // Keep the connection warm through proxies; the server answers without waking the room.
  const keepalive = setInterval(() => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
  }, 25_000);
  const wentOffline = () => setState("offline");
  const cameOnline = () => socket.reconnect();
  addEventListener("offline", wentOffline);
  addEventListener("online", cameOnline);

  return {
    send(frame) {
      if (socket.readyState !== socket.OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    close() {
      clearInterval(keepalive);
      removeEventListener("offline", wentOffline);
      removeEventListener("online", cameOnline);
      setState("closed");
      socket.close();
    },
  };
}
