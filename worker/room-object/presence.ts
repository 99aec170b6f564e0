import { noteRoomSockets } from "../user-channel/client";
import type { RoomParts } from "./parts";

// Presence in a room: a member is online here while any of their sockets to it is open. The room
// tells the others on the transitions only (first socket opened, last one closed), and tells the
// person's own channel too, which is how a session that ends finds the rooms its sockets are in.

export class Presence {
  constructor(private readonly parts: RoomParts) {}

  online(): string[] {
    return this.parts.sockets.onlineUsers();
  }

  /** A socket of this user just opened. */
  arrived(userId: string): void {
    if (this.parts.sockets.open(userId).length !== 1) return;
    this.tell(userId, true);
  }

  /** A socket of this user closed; `others` are their sockets still open. */
  left(userId: string, others: WebSocket[]): void {
    if (others.length > 0) return;
    this.tell(userId, false);
  }

  private tell(userId: string, online: boolean): void {
    this.parts.sockets.broadcast({ type: "presence", userId, online }, { except: userId });
    const roomId = this.parts.store.meta.get("roomId");
    if (roomId) this.parts.ctx.waitUntil(noteRoomSockets(this.parts.env, userId, roomId, online));
  }
}
