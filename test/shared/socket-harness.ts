import type { Batched, ChannelFrame, RoomFrame } from "../../worker/protocol/frames.ts";

// One socket harness for every suite, whatever runtime holds the socket: workerd's WebSocket in
// test/worker (test/worker/helpers.ts opens it through SELF), the `ws` package in test/e2e and
// test/hard (test/shared/node-client.ts). It records every frame and waits for the ones a test
// names, each wait bounded and saying what it waited for.

/** Any frame a test socket may receive: from a room or from a user channel. */
export type ServerFrame = RoomFrame | ChannelFrame;
export type FrameOf<K extends ServerFrame["type"]> = Extract<ServerFrame, { type: K }>;

/**
 * What the harness needs of a socket. The standard WebSocket (workerd's) and the `ws` package's
 * both have this shape, so neither needs wrapping.
 */
export interface MinimalSocket {
  readonly readyState: number;
  send(data: string | ArrayBuffer | Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
}

/** WebSocket.OPEN, the same number in every runtime. */
const OPEN = 1;

export type Closed = { code: number; reason: string };

export type TestSocket<Raw extends MinimalSocket = MinimalSocket> = {
  /** The runtime's own socket, for what only it can do (e.g. `ws`'s terminate()). */
  ws: Raw;
  /** Every frame received so far, in order (the server sends only JSON text), batches unpacked. */
  frames: ServerFrame[];
  /** The size of each `batch` frame received (a socket opened with ?batch=1). */
  batches: number[];
  /** The first frame of this type matching `where`, already received or yet to come. */
  next<K extends ServerFrame["type"]>(
    type: K,
    where?: (frame: FrameOf<K>) => boolean,
    timeoutMs?: number,
  ): Promise<FrameOf<K>>;
  /** Waits until `count` frames of this type match, and returns them all (in order). */
  collect<K extends ServerFrame["type"]>(
    type: K,
    count: number,
    where?: (frame: FrameOf<K>) => boolean,
    timeoutMs?: number,
  ): Promise<FrameOf<K>[]>;
  /** Every frame of this type received so far. */
  all<K extends ServerFrame["type"]>(type: K, where?: (frame: FrameOf<K>) => boolean): FrameOf<K>[];
  /** Sends a frame (objects as JSON; strings and binary as they are). */
  send(frame: unknown): void;
  /**
   * A round trip through the room: frames the server sent before this returns have arrived.
   * (The ping is spelled so that the runtime's automatic answer does not short-circuit it.)
   */
  sync(timeoutMs?: number): Promise<void>;
  /** Resolves with the close code and reason once the socket has closed. */
  closed: Promise<Closed>;
  /** The close, if it already happened; undefined while the socket is open. */
  readonly closedWith: Closed | undefined;
  /** A clean close (1000) from our side, if the socket is still open. */
  close(): Promise<void>;
};

/**
 * How long a socket waits for a frame before it fails, saying which frame it waited for. Generous on
 * purpose: a wait ends as soon as the frame arrives, so the bound only matters on a loaded machine.
 */
export const WAIT_MS = 10_000;

const openSockets = new Set<TestSocket>();

/**
 * Starts recording a socket's frames. Call it before the socket can deliver any: right after
 * `accept()` in workerd, right after `new WebSocket(url)` with `ws` (whose first frames can arrive
 * in the same read as the 101 answer, before an awaiting caller resumes).
 */
export function recordSocket<Raw extends MinimalSocket>(ws: Raw): TestSocket<Raw> {
  const frames: ServerFrame[] = [];
  const batches: number[] = [];
  const listeners = new Set<() => void>();
  let closedWith: Closed | undefined;
  let resolveClosed: (value: Closed) => void = () => {};
  const closed = new Promise<Closed>((resolve) => {
    resolveClosed = resolve;
  });
  ws.addEventListener("message", (event) => {
    const data = typeof event.data === "string" ? event.data : String(event.data);
    const received = JSON.parse(data) as Batched<ServerFrame>;
    // A socket opened with ?batch=1 may get several frames in one: they are recorded one by one.
    if ("frames" in received && received.type === "batch") {
      batches.push(received.frames.length);
      frames.push(...received.frames);
    } else {
      frames.push(received as ServerFrame);
    }
    for (const listener of listeners) listener();
  });
  ws.addEventListener("close", (event) => {
    openSockets.delete(socket);
    closedWith = { code: event.code, reason: event.reason };
    resolveClosed(closedWith);
    for (const listener of listeners) listener();
  });

  function matching<K extends ServerFrame["type"]>(type: K, where?: (frame: FrameOf<K>) => boolean) {
    return frames.filter(
      (frame): frame is FrameOf<K> => frame.type === type && (!where || where(frame as FrameOf<K>)),
    );
  }

  function waitUntil<T>(check: () => T | undefined, describe: () => string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const found = check();
      if (found !== undefined) return resolve(found);
      const listener = () => {
        const result = check();
        if (result === undefined) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(result);
      };
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`${describe()} within ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
      }, timeoutMs);
      listeners.add(listener);
    });
  }

  let syncs = 0;
  const socket: TestSocket<Raw> = {
    ws,
    frames,
    batches,
    next(type, where, timeoutMs = WAIT_MS) {
      return waitUntil(
        () => matching(type, where)[0],
        () => `no matching "${type}" frame`,
        timeoutMs,
      );
    },
    collect(type, count, where, timeoutMs = WAIT_MS) {
      return waitUntil(
        () => {
          const found = matching(type, where);
          return found.length >= count ? found : undefined;
        },
        () => `fewer than ${count} matching "${type}" frames`,
        timeoutMs,
      );
    },
    all: matching,
    send(frame) {
      const raw = typeof frame === "string" || frame instanceof ArrayBuffer || frame instanceof Uint8Array;
      ws.send(raw ? frame : JSON.stringify(frame));
    },
    async sync(timeoutMs = WAIT_MS) {
      syncs += 1;
      const wanted = syncs;
      ws.send('{ "type": "ping" }');
      await socket.collect("pong", wanted, undefined, timeoutMs);
    },
    closed,
    get closedWith() {
      return closedWith;
    },
    async close() {
      if (ws.readyState === OPEN) ws.close(1000, "test done");
      openSockets.delete(socket);
    },
  };
  openSockets.add(socket);
  return socket;
}

/** Closes every socket a test left open (call from afterEach). */
export async function closeAllSockets(): Promise<void> {
  await Promise.all([...openSockets].map((socket) => socket.close()));
}
