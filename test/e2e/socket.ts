import WebSocket from "ws";
import type { ChannelFrame, RoomFrame } from "../../worker/protocol/frames.ts";

export type ServerFrame = RoomFrame | ChannelFrame;

// A WebSocket client for tests, as wscat would be: it records every frame and can wait for one.

export type TestSocket = {
  ws: WebSocket;
  frames: ServerFrame[];
  /** Resolves with the first frame (already received or still to come) that matches. */
  next<T extends ServerFrame>(match: (frame: ServerFrame) => frame is T, timeoutMs?: number): Promise<T>;
  next(match: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
};

export function openSocket(url: string): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const frames: ServerFrame[] = [];
    const waiters = new Set<() => void>();
    ws.on("message", (data) => {
      frames.push(JSON.parse(String(data)) as ServerFrame);
      for (const waiter of waiters) waiter();
    });
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      ws.on("close", (code, reason) => done({ code, reason: String(reason) })),
    );
    ws.on("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.on("error", reject);
    ws.on("open", () =>
      resolve({
        ws,
        frames,
        closed,
        send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
        next: (match: (frame: ServerFrame) => boolean, timeoutMs = 10_000) =>
          new Promise<ServerFrame>((found, fail) => {
            let seen = 0;
            const check = () => {
              for (; seen < frames.length; seen++) {
                const frame = frames[seen] as ServerFrame;
                if (match(frame)) {
                  cleanup();
                  found(frame);
                  return;
                }
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          }),
      } as TestSocket),
    );
  });
}
