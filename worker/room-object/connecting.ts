import type { RoomParts } from "./parts";
import type { Presence } from "./presence";
import type { Receipts } from "./receipts";

// A member's socket arrives (the Worker has checked the token and the membership): it gets the
// welcome, then every message after `since` (a resume), then live frames. All of it runs without an
// await, and a Durable Object handles one event at a time, so no new message can slip in between:
// no gap, no duplicate.

const REPLAY_PAGE = 500;

export class Connecting {
  constructor(
    private readonly parts: RoomParts,
    private readonly presence: Presence,
    private readonly receipts: Receipts,
  ) {}

  /** Accepts the server end of the socket and brings it up to date. */
  connect(socket: WebSocket, roomId: string, userId: string, since: number | null): void {
    const { sockets, store } = this.parts;
    sockets.accept(socket, { userId, typingUntil: 0 });
    sockets.send(socket, {
      type: "welcome",
      roomId,
      userId,
      lastSeq: store.messages.lastSeq(),
      online: this.presence.online(),
      receipts: this.receipts.all(),
    });
    if (since !== null) this.replay(socket, userId, since);
    this.presence.arrived(userId);
  }

  private replay(socket: WebSocket, userId: string, since: number): void {
    let cursor = since;
    for (;;) {
      const page = this.parts.store.messages.after(cursor, REPLAY_PAGE);
      for (const message of page.messages) this.parts.sockets.send(socket, { type: "message", message });
      cursor = page.messages.at(-1)?.seq ?? cursor;
      if (!page.hasMore) break;
    }
    if (cursor > since) this.receipts.markDelivered(userId, cursor);
  }
}
