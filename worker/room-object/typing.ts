import { TYPING_TIMEOUT_MS } from "../protocol/limits";
import type { AlarmTask } from "./alarms";
import type { RoomParts } from "./parts";

// Typing: "Ann is typing…". A user types on a socket; they count as typing while any of their
// sockets does. It stops when they say so, send a message, close the socket, or after
// TYPING_TIMEOUT_MS without a new `typing: true` (the alarm sweeps, so this holds even when the room
// hibernated meanwhile: the deadline is in the socket's attachment).
//
// A start is told to the room at most once per TYPING_RELAY_MS per person, however fast a client
// toggles; a stop is told only for a start that was told.

const TYPING_RELAY_MS = 2000;

export class Typing implements AlarmTask {
  /** userId → when a start was last told (for the throttle; safe to lose). */
  private readonly lastStart = new Map<string, number>();

  constructor(private readonly parts: RoomParts) {}

  set(socket: WebSocket, typing: boolean): void {
    const { userId } = this.parts.sockets.state(socket);
    this.parts.sockets.update(socket, { typingUntil: typing ? Date.now() + TYPING_TIMEOUT_MS : 0 });
    this.settle(userId);
    if (typing) this.parts.ctx.waitUntil(this.parts.alarms.schedule());
  }

  /** They sent a message: they stopped typing on every socket. */
  stopFor(userId: string): void {
    let changed = false;
    for (const socket of this.parts.sockets.open(userId)) {
      if (this.parts.sockets.state(socket).typingUntil > 0) {
        this.parts.sockets.update(socket, { typingUntil: 0 });
        changed = true;
      }
    }
    if (changed) this.settle(userId);
  }

  /** A socket closed: if it was the one they typed on, they stopped. */
  closed(socket: WebSocket): void {
    this.settle(this.parts.sockets.state(socket).userId, socket);
  }

  due(): number | null {
    let next: number | null = null;
    for (const socket of this.parts.sockets.held()) {
      const until = this.parts.sockets.state(socket).typingUntil;
      if (until > 0 && (next === null || until < next)) next = until;
    }
    return next;
  }

  /** Clears the indicators whose time has passed. */
  run(now: number): void {
    const stopped = new Set<string>();
    for (const socket of this.parts.sockets.held()) {
      const { userId, typingUntil } = this.parts.sockets.state(socket);
      if (typingUntil > 0 && typingUntil <= now) {
        this.parts.sockets.update(socket, { typingUntil: 0 });
        stopped.add(userId);
      }
    }
    for (const userId of stopped) this.settle(userId, undefined, now);
  }

  /** Tells the room what it should see of this person now (but `leaving`, a socket that is closing). */
  private settle(userId: string, leaving?: WebSocket, now = Date.now()): void {
    const { sockets } = this.parts;
    const mine = sockets.held(userId);
    // A closing socket may already be gone from the runtime's list; its state still counts.
    if (leaving && !mine.includes(leaving)) mine.push(leaving);
    const typing = mine.some(
      (socket) =>
        socket !== leaving && socket.readyState === WebSocket.OPEN && sockets.state(socket).typingUntil > now,
    );
    const shown = mine.some((socket) => sockets.state(socket).typingShown);
    if (typing === shown) return;
    if (typing && now - (this.lastStart.get(userId) ?? 0) < TYPING_RELAY_MS) return; // throttled
    if (typing) this.lastStart.set(userId, now);
    for (const socket of mine) {
      if (socket !== leaving && sockets.state(socket).typingShown !== typing)
        sockets.update(socket, { typingShown: typing });
    }
    sockets.broadcast({ type: "typing", userId, typing }, { except: userId });
  }
}
