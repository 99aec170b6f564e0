import type { RoomParts } from "./parts";

// Presence in a room: a member is online here while any of their sockets to it is open. The room
// tells the others on the transitions only (first socket opened, last one closed).

export class Presence {
  constructor(private readonly parts: RoomParts) {}

  online(): string[] {
    return this.parts.sockets.onlineUsers();
  }

  /** A socket of this user just opened. */
  arrived(userId: string): void {
    if (this.parts.sockets.open(userId).length === 1) this.tell(userId, true);
  }

  /** A socket of this user closed; `others` are their sockets still open. */
  left(userId: string, others: WebSocket[]): void {
    if (others.length === 0) this.tell(userId, false);
  }

  private tell(userId: string, online: boolean): void {
    this.parts.sockets.broadcast({ type: "presence", userId, online }, { except: userId });
  }
}
