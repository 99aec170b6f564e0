import type { MemberChange, MemberInfo } from "../protocol/frames";
import { CloseCode } from "../protocol/limits";
import type { RoomParts } from "./parts";

// Who is in the room, as the Worker tells it (memberships live in D1): the member list on every
// screen follows joins, leaves, removals, role and profile changes through `member` frames, and
// someone who is no longer a member loses their sockets at once.

export class Membership {
  constructor(private readonly parts: RoomParts) {}

  changed(member: MemberInfo, change: MemberChange): void {
    this.parts.sockets.broadcast({ type: "member", member, change });
  }

  /** A member was removed (or left): their sockets to this room close now, with 4003. */
  removed(userId: string, reason: string): void {
    this.parts.sockets.end(CloseCode.removedFromRoom, reason, userId);
  }

  /** The room was deleted: every socket closes with 4004. */
  deleted(): void {
    this.parts.sockets.end(CloseCode.roomDeleted, "This room was deleted.");
  }
}
