import { env, runDurableObjectAlarm, SELF } from "cloudflare:test";
import type { ChannelFrame, RoomFrame } from "../../worker/protocol/frames";
import type { Message } from "../../worker/protocol/messages";
import type { RoomSummary } from "../../worker/protocol/rooms";
import type { RoomDetail } from "../../worker/rooms/schemas";

export type { Message } from "../../worker/protocol/messages";
export type { Role, RoomSummary } from "../../worker/protocol/rooms";
/** Any frame a test socket may receive: from a room or from a user channel. */
export type ServerFrame = RoomFrame | ChannelFrame;
export type { Member, RoomDetail } from "../../worker/rooms/schemas";

// One place for the fixtures every test needs: calling the API, signing people up.

export type ApiResponse<T = Record<string, unknown>> = { status: number; headers: Headers; body: T };

type CallOptions = { token?: string; body?: unknown; headers?: Record<string, string> };

/** Calls the Worker as a client would, over HTTP, and parses the JSON answer (if any). */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  // Each call comes from an address of its own unless the test says otherwise: sign-ups and sign-ins
  // are limited per client address, and the tests stand for many people, not one place.
  const headers: Record<string, string> = { "CF-Connecting-IP": newAddress(), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await SELF.fetch(`https://hubbub.test${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T };
}

export type SignedIn = {
  user: { id: string; username: string; displayName: string; bio: string; createdAt: string };
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
};

let counter = 0;

/** A username no other test uses, so tests never depend on each other's rows. */
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}_${counter}_${crypto.randomUUID().slice(0, 8)}`;
}

export const PASSWORD = "correct horse battery";

/**
 * A client address no other caller uses, for the CF-Connecting-IP header: a random /64 of the IPv6
 * documentation prefix 2001:db8::/32 (2^32 of them, so two calls never share one by chance; nothing
 * is ever sent there, it is only a header).
 */
export function newAddress(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
  return `2001:db8:${a.toString(16)}:${b.toString(16)}::1`;
}

export async function signUp(username = uniqueName(), password = PASSWORD): Promise<SignedIn> {
  const response = await api<SignedIn>("POST", "/api/auth/register", { body: { username, password } });
  if (response.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** Asserts the API.md error shape and returns it for further checks. */
export function errorOf(response: ApiResponse<unknown>): ErrorBody["error"] {
  const body = response.body as ErrorBody;
  if (!body?.error || typeof body.error.code !== "string" || typeof body.error.message !== "string") {
    throw new Error(`not an API error: ${JSON.stringify(response.body)}`);
  }
  return body.error;
}

// ── Rooms and messages ────────────────────────────────────────────────────────────────────────────

export type Page = { messages: Message[]; hasMore: boolean };

/** Creates a room owned by the caller; fails the test unless it is 201. */
export async function createRoom(
  token: string,
  options: { name?: string; kind?: "public" | "private"; topic?: string } = {},
): Promise<RoomDetail> {
  const response = await api<RoomDetail>("POST", "/api/rooms", {
    token,
    body: { name: options.name ?? uniqueName("room"), kind: options.kind ?? "public", topic: options.topic },
  });
  if (response.status !== 201) throw new Error(`create room failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The owner (or an admin) adds someone; fails the test unless it is 201. */
export async function addMember(token: string, roomId: string, userId: string, role?: "admin" | "member") {
  const response = await api("POST", `/api/rooms/${roomId}/members`, { token, body: { userId, role } });
  if (response.status !== 201) throw new Error(`add member failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Sends a message over REST; fails the test unless it is stored (201). */
export async function send(token: string, roomId: string, body: string, clientId?: string): Promise<Message> {
  const response = await api<Message>("POST", `/api/rooms/${roomId}/messages`, {
    token,
    body: { body, clientId },
  });
  if (response.status !== 201)
    throw new Error(`send failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function history(token: string, roomId: string, query = ""): Promise<Page> {
  const response = await api<Page>("GET", `/api/rooms/${roomId}/messages${query}`, { token });
  if (response.status !== 200) throw new Error(`history failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function myRooms(token: string): Promise<RoomSummary[]> {
  const response = await api<{ rooms: RoomSummary[] }>("GET", "/api/rooms", { token });
  if (response.status !== 200) throw new Error(`room list failed: ${JSON.stringify(response.body)}`);
  return response.body.rooms;
}

/** A private room of two: its owner and one member. */
export async function privatePair() {
  const [owner, member] = await Promise.all([signUp(), signUp()]);
  const room = await createRoom(owner.accessToken, { kind: "private" });
  await addMember(owner.accessToken, room.id, member.user.id);
  return { room, owner, member };
}

export type Cast = {
  room: RoomDetail;
  owner: SignedIn;
  admin: SignedIn;
  member: SignedIn;
  outsider: SignedIn;
};

/** A fresh room with one person in each role, plus someone who is not in it. */
export async function roomWithCast(kind: "public" | "private" = "private"): Promise<Cast> {
  const [owner, admin, member, outsider] = await Promise.all([signUp(), signUp(), signUp(), signUp()]);
  const room = await createRoom(owner.accessToken, { kind });
  await addMember(owner.accessToken, room.id, admin.user.id, "admin");
  await addMember(owner.accessToken, room.id, member.user.id);
  return { room, owner, admin, member, outsider };
}

/** The room's Durable Object. */
export function roomStub(roomId: string) {
  return env.ROOMS.get(env.ROOMS.idFromName(roomId));
}

/** Runs the room's alarm now, if one is scheduled (summaries, read markers and typing expiry). */
export function runRoomAlarm(roomId: string): Promise<boolean> {
  return runDurableObjectAlarm(roomStub(roomId));
}

/**
 * Retries an assertion until it holds or the time is up, running the room's alarm before each try
 * when a roomId is given (its work is due only once its debounce has passed).
 */
export async function eventually<T>(
  assertion: () => Promise<T> | T,
  options: { roomId?: string; timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (options.roomId) await runRoomAlarm(options.roomId);
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await scheduler.wait(options.intervalMs ?? 50);
  }
}

// ── WebSockets ────────────────────────────────────────────────────────────────────────────────────

type FrameOf<K extends ServerFrame["type"]> = Extract<ServerFrame, { type: K }>;

export type TestSocket = {
  ws: WebSocket;
  /** Every frame received so far, in order (the server sends only JSON text). */
  frames: ServerFrame[];
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
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
};

const openSockets = new Set<TestSocket>();

/**
 * How long a socket waits for a frame before it fails, saying which frame it waited for. Generous on
 * purpose: a wait ends as soon as the frame arrives, so the bound only matters on a loaded machine.
 */
const WAIT_MS = 10_000;

/** Asks for a WebSocket upgrade and returns the raw answer (101 with a socket, or an error). */
export function upgrade(path: string): Promise<Response> {
  return SELF.fetch(`https://hubbub.test${path}`, { headers: { Upgrade: "websocket" } });
}

/** Opens a WebSocket to the path; fails the test unless it upgrades. */
export async function connect(path: string): Promise<TestSocket> {
  const response = await upgrade(path);
  const ws = response.webSocket;
  if (response.status !== 101 || !ws) {
    throw new Error(`upgrade failed: ${response.status} ${await response.text()}`);
  }
  ws.accept();
  const frames: ServerFrame[] = [];
  const listeners = new Set<() => void>();
  let resolveClosed: (value: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    resolveClosed = resolve;
  });
  ws.addEventListener("message", (event) => {
    const data = typeof event.data === "string" ? event.data : "";
    frames.push(JSON.parse(data) as ServerFrame);
    for (const listener of listeners) listener();
  });
  ws.addEventListener("close", (event) => {
    openSockets.delete(socket);
    resolveClosed({ code: event.code, reason: event.reason });
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
  const socket: TestSocket = {
    ws,
    frames,
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
      ws.send(typeof frame === "string" || frame instanceof ArrayBuffer ? frame : JSON.stringify(frame));
    },
    async sync(timeoutMs = WAIT_MS) {
      syncs += 1;
      const wanted = syncs;
      ws.send('{ "type": "ping" }');
      await socket.collect("pong", wanted, undefined, timeoutMs);
    },
    closed,
    async close() {
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, "test done");
      openSockets.delete(socket);
    },
  };
  openSockets.add(socket);
  return socket;
}

/** A member's socket to one room, optionally resuming after `since`. */
export function roomSocket(roomId: string, token: string, since?: number): Promise<TestSocket> {
  const query = new URLSearchParams({ token });
  if (since !== undefined) query.set("since", String(since));
  return connect(`/api/rooms/${roomId}/ws?${query}`);
}

/** The user's own channel (live room list). */
export function userSocket(token: string): Promise<TestSocket> {
  return connect(`/api/ws?token=${encodeURIComponent(token)}`);
}

/** Closes every socket a test left open (call from afterEach). */
export async function closeAllSockets(): Promise<void> {
  await Promise.all([...openSockets].map((socket) => socket.close()));
}
