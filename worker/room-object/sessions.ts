import { CloseCode } from "../protocol/limits";
import { endSocket } from "../sockets/connections";
import {
  earliestExpiry,
  SESSION_ENDED,
  type SessionMatch,
  sessionMatches,
  TOKEN_EXPIRED,
} from "../sockets/sessions";
import type { AlarmTask } from "./alarms";
import type { RoomParts } from "./parts";

// A room socket lives no longer than the sign-in that opened it: when its session ends (the Worker
// tells the room, through the user's channel, see user-channel/client.ts) or its access token
// expires (the alarm sweeps), it is closed with 4001 and the client comes back with a fresh token,
// resuming with since=, so nothing is lost.

export class SessionEnds implements AlarmTask {
  constructor(private readonly parts: RoomParts) {}

  /** These sessions of this user ended: their sockets here close. */
  ended(userId: string, match: SessionMatch): number {
    let closed = 0;
    for (const socket of this.parts.sockets.held(userId)) {
      if (!sessionMatches(match, this.parts.sockets.state(socket).sessionId)) continue;
      endSocket(socket, CloseCode.sessionEnded, SESSION_ENDED);
      closed++;
    }
    return closed;
  }

  due(): number | null {
    const { sockets } = this.parts;
    return earliestExpiry(sockets.open().map((socket) => sockets.state(socket)));
  }

  run(now: number): void {
    for (const socket of this.parts.sockets.open()) {
      if (this.parts.sockets.state(socket).expiresAt <= now)
        endSocket(socket, CloseCode.sessionEnded, TOKEN_EXPIRED);
    }
  }
}
