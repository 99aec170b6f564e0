import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { memberships, rooms, users } from "../db/schema";
import type { MemberChange, MemberInfo } from "../protocol/frames";
import { CloseCode } from "../protocol/limits";
import { type Caller, done, type Outcome, refuse, type Visitor } from "./api";
import type { RoomParts } from "./parts";
import type { NotifyLevel, RoomMember } from "./store";

/** Bumped when the room's copy of its members gains a field that must be loaded again from D1. */
const MEMBERS_VERSION = "3";
/**
 * Every change of membership reaches the room (the Worker tells it), so someone the room does not
 * know is not a member. As a bound on any change that might not have (a failed call), a miss loads
 * the list from D1 again when the copy is older than this.
 */
const RELOAD_ON_MISS_MS = 10 * 60_000;

// Who is in the room. D1 holds the memberships (the room list needs them across rooms); the room
// keeps a copy that the Worker updates with every change, so a socket cannot slip in between the
// Worker's check and a removal, and the room can check roles itself. The member list on every
// screen follows through `member` frames, and someone who is no longer a member loses their
// sockets at once.
//
// Ending a socket from here has a catch. In workerd (seen in 1.20261023 and 1.20261117, and with a
// bare `workerd serve`), a hibernatable socket closed from outside an event of its own (an RPC from
// the Worker, an alarm, another socket's frame) sends its Close frame, but its TCP connection stays
// open until the object is next evicted (about 10 s after the last event): Chromium gives up after
// 2 s and reports the close, a `ws` client waits up to 30 s. Closed from within its own event, it
// ends at once. When the whole room goes, the object resets itself right after the Close frames,
// which tears every connection down at once; see `deleted`.

/** How long a deleted room waits for its clients' Close replies before it resets anyway. */
const END_WAIT_MS = 1000;

export class Membership {
  private ending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly parts: RoomParts) {}

  /** The member, after loading the list from D1 if this room never had it (see RELOAD_ON_MISS_MS). */
  async find(roomId: string, userId: string): Promise<RoomMember | null> {
    const { members, meta } = this.parts.store;
    const loaded = meta.get("membersLoaded");
    const stale = Date.now() - Number(meta.get("membersLoadedAt") ?? 0) > RELOAD_ON_MISS_MS;
    if (loaded !== MEMBERS_VERSION || (!members.get(userId) && stale)) await this.load(roomId);
    return members.get(userId);
  }

  /**
   * Who is calling, as the room knows them: a member with their role, or a refusal in API.md's
   * terms (a public room's outsider: 403, join first; a private or direct room's: 404, it does not
   * exist for them). The REST calls on messages ask this instead of D1.
   */
  async admit(visitor: Visitor): Promise<Outcome<Caller>> {
    const member = await this.find(visitor.roomId, visitor.userId);
    if (member) return done({ roomId: visitor.roomId, userId: visitor.userId, role: member.role });
    if (this.parts.store.meta.get("kind") === "public") return refuse("forbidden", "Join this room first.");
    return refuse("not_found", "No such room.");
  }

  /** D1 is the source. A room that does not exist there leaves nothing behind in this object. */
  private async load(roomId: string): Promise<void> {
    const db = database(this.parts.env.DB);
    const [room] = await db.select({ kind: rooms.kind }).from(rooms).where(eq(rooms.id, roomId));
    if (!room) return;
    const rows = await db
      .select({
        userId: memberships.userId,
        role: memberships.role,
        joinedAt: memberships.joinedAt,
        username: users.username,
        notify: memberships.notifyLevel,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.roomId, roomId));
    this.parts.store.members.replace(rows.map((row) => ({ ...row, joinedAt: row.joinedAt.getTime() })));
    this.parts.store.meta.set("kind", room.kind);
    this.parts.store.meta.set("membersLoaded", MEMBERS_VERSION);
    this.parts.store.meta.set("membersLoadedAt", String(Date.now()));
  }

  changed(member: MemberInfo, change: MemberChange): void {
    const members = this.parts.store.members;
    if (change === "left") members.remove(member.userId);
    else members.put(member.userId, member.role, member.username);
    this.parts.sockets.broadcast({ type: "member", member, change });
  }

  setNotify(userId: string, level: NotifyLevel): void {
    this.parts.store.members.setNotify(userId, level);
  }

  /** A member was removed (or left): their sockets to this room close now, with 4003. */
  removed(userId: string, reason: string): void {
    this.parts.store.members.remove(userId);
    this.parts.sockets.end(CloseCode.removedFromRoom, reason, userId);
  }

  /**
   * The room was deleted: every socket gets its Close frame with 4004; once every client answered
   * (or after END_WAIT_MS), the object resets, which ends the connections (see above).
   */
  deleted(): void {
    this.parts.sockets.end(CloseCode.roomDeleted, "This room was deleted.");
    this.ending = setTimeout(() => this.reset(), END_WAIT_MS);
  }

  /** A socket's close handshake finished; `remaining` sockets are still held. */
  closed(remaining: number): void {
    if (this.ending !== undefined && remaining === 0) setTimeout(() => this.reset(), 0);
  }

  private reset(): void {
    if (this.ending !== undefined) clearTimeout(this.ending);
    this.ending = undefined;
    this.parts.ctx.abort("The room was deleted; its connections end with it.");
  }
}
