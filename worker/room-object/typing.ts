import { TYPING_TIMEOUT_MS } from "../protocol/limits";
import type { AlarmTask } from "./alarms";
import type { RoomParts } from "./parts";

// Typing: "Ann is typing…". A user types on a socket; they count as typing while any of their
// sockets does. It stops when they say so, send a message, close the socket, or after
// TYPING_TIMEOUT_MS without a new `typing: true` (the alarm sweeps, so this holds even when the room
// hibernated meanwhile: the deadline is in the socket's attachment).

export class Typing implements AlarmTask {
  constructor(private readonly parts: RoomParts) {}

  set(socket: WebSocket, typing: boolean): void {
    const { userId } = this.parts.sockets.state(socket);
    const wasTyping = this.isTyping(userId);
    this.parts.sockets.update(socket, { typingUntil: typing ? Date.now() + TYPING_TIMEOUT_MS : 0 });
    const isTyping = this.isTyping(userId);
    if (isTyping !== wasTyping) this.tell(userId, isTyping);
    if (typing) this.parts.ctx.waitUntil(this.parts.alarms.schedule());
  }

  /** They sent a message: they stopped typing on every socket. */
  stopFor(userId: string): void {
    for (const socket of this.parts.sockets.open(userId)) {
      if (this.parts.sockets.state(socket).typingUntil > 0) this.set(socket, false);
    }
  }

  /** A socket closed: if it was the one they typed on, they stopped. */
  closed(socket: WebSocket, others: WebSocket[]): void {
    const { userId, typingUntil } = this.parts.sockets.state(socket);
    const now = Date.now();
    if (typingUntil > now && !others.some((other) => this.parts.sockets.state(other).typingUntil > now))
      this.tell(userId, false);
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
    for (const userId of stopped) if (!this.isTyping(userId, now)) this.tell(userId, false);
  }

  private isTyping(userId: string, now = Date.now()): boolean {
    return this.parts.sockets
      .open(userId)
      .some((socket) => this.parts.sockets.state(socket).typingUntil > now);
  }

  private tell(userId: string, typing: boolean): void {
    this.parts.sockets.broadcast({ type: "typing", userId, typing }, { except: userId });
  }
}
