import { env, runDurableObjectAlarm, SELF } from "cloudflare:test";
import { type ApiCall, fixtures, type Reply } from "../shared/fixtures.ts";
import { recordSocket, type TestSocket as SharedTestSocket } from "../shared/socket-harness.ts";

// What the tests inside workerd add to the shared fixtures and socket harness (test/shared/): calls
// through SELF.fetch, sockets upgraded through it, and the room's Durable Object and its alarm.

export type { Message } from "../../worker/protocol/messages";
export type { Role, RoomSummary } from "../../worker/protocol/rooms";
export type { Member, RoomDetail } from "../../worker/rooms/schemas";
export {
  type Cast,
  type ErrorBody,
  errorOf,
  PASSWORD,
  type Page,
  type SignedIn,
  uniqueName,
} from "../shared/fixtures.ts";
export { closeAllSockets, type ServerFrame } from "../shared/socket-harness.ts";

export type ApiResponse<T = Record<string, unknown>> = Reply<T>;

type CallOptions = { token?: string; body?: unknown; headers?: Record<string, string> };

/**
 * A client address no other caller uses, for the CF-Connecting-IP header: a random /64 of the IPv6
 * documentation prefix 2001:db8::/32 (2^32 of them, so two calls never share one by chance; nothing
 * is ever sent there, it is only a header).
 */
export function newAddress(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint16Array(2));
  return `2001:db8:${a.toString(16)}:${b.toString(16)}::1`;
}

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

export const { signUp, createRoom, addMember, send, history, myRooms, privatePair, roomWithCast } = fixtures(
  api satisfies ApiCall,
);

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

export type TestSocket = SharedTestSocket<WebSocket>;

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
  return recordSocket(ws);
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
