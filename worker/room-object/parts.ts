import type { RoomFrame } from "../protocol/frames";
import type { Connections } from "../sockets/connections";
import type { AlarmClock } from "./alarms";
import type { RoomStore } from "./store";

// What every concern of a Room works with. The Room makes one of each and hands them around; a
// concern keeps only caches and buffers of its own, which are safe to lose when the object sleeps.

/** A room socket's state, kept in its attachment so that it survives hibernation. */
export type SocketState = {
  userId: string;
  /** Opened with ?batch=1: frames of one turn arrive as one `batch` frame (sockets/connections.ts). */
  batch?: boolean;
  /** The sign-in session whose access token opened this socket: it ends with that session. */
  sessionId: string;
  /** When that access token expires (ms): the socket ends then (4001) and the client reconnects. */
  expiresAt: number;
  /** Until when (ms) this socket's user counts as typing on it; 0 when not typing. */
  typingUntil: number;
  /** The room was told this user is typing (kept here so a woken room can still tell the stop). */
  typingShown: boolean;
  /** This socket's own id (in its welcome): other participants of a call address it by this. */
  connectionId: string;
  /** Its place in the room's call, or null (see ./calls.ts). */
  call: CallSeat | null;
};

/** A socket's place in the room's call: what it sends, and since when (ms) it is in. */
export type CallSeat = { audio: boolean; video: boolean; screen: boolean; joinedAt: number };

export type RoomParts = {
  ctx: DurableObjectState;
  env: Env;
  store: RoomStore;
  sockets: Connections<SocketState, RoomFrame>;
  alarms: AlarmClock;
};
