import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Database } from "../db/client";
import { memberships, rooms, users } from "../db/schema";
import { avatarUrl } from "../media/keys";
import type { RoomSummary } from "../protocol/rooms";

// The room list item (API.md: GET /api/rooms, and the user channel's room_* frames), computed in
// ONE D1 query for any set of (room, member) pairs: no per-room round trips.

const peer = alias(users, "peer");
const member = alias(users, "member");

export type SummaryFilter =
  | { userId: string; roomId?: string }
  /** The members of one room who are online right now (a user channel socket is open). */
  | { roomId: string; onlineOnly: true; userIds?: string[] };

export type MemberSummary = { userId: string; room: RoomSummary };

export async function roomSummaries(db: Database, filter: SummaryFilter): Promise<MemberSummary[]> {
  const conditions: SQL[] = [];
  if ("userId" in filter) conditions.push(eq(memberships.userId, filter.userId));
  if (filter.roomId) conditions.push(eq(memberships.roomId, filter.roomId));
  if ("onlineOnly" in filter) conditions.push(eq(member.online, true));
  if ("userIds" in filter && filter.userIds) conditions.push(inArray(memberships.userId, filter.userIds));

  const rows = await db
    .select({
      userId: memberships.userId,
      role: memberships.role,
      lastReadSeq: memberships.lastReadSeq,
      readMainCount: memberships.readMainCount,
      mentionCount: memberships.mentionCount,
      notify: memberships.notifyLevel,
      room: rooms,
      peerId: peer.id,
      peerUsername: peer.username,
      peerDisplayName: peer.displayName,
      peerAvatarKey: peer.avatarKey,
    })
    .from(memberships)
    .innerJoin(rooms, eq(rooms.id, memberships.roomId))
    .innerJoin(member, eq(member.id, memberships.userId))
    // A direct room's peer is whichever of its two people is not the member.
    .leftJoin(
      peer,
      sql`${rooms.kind} = 'direct' AND ${peer.id} = CASE WHEN ${rooms.userA} = ${memberships.userId} THEN ${rooms.userB} ELSE ${rooms.userA} END`,
    )
    .where(and(...conditions))
    .orderBy(desc(rooms.lastActivityAt), desc(rooms.id));

  return rows.map((row) => {
    const room = row.room;
    const summary: RoomSummary = {
      id: room.id,
      kind: room.kind,
      name: room.kind === "direct" ? (row.peerDisplayName ?? "") : room.name,
      topic: room.topic,
      role: row.role,
      unreadCount: Math.max(0, room.mainCount - row.readMainCount),
      mentionCount: row.mentionCount,
      notify: row.notify,
      lastReadSeq: row.lastReadSeq,
      lastMessage:
        room.lastMessageSeq !== null && room.lastMessageUserId !== null && room.lastMessageAt !== null
          ? {
              seq: room.lastMessageSeq,
              userId: room.lastMessageUserId,
              body: room.lastMessagePreview ?? "",
              createdAt: room.lastMessageAt.toISOString(),
            }
          : null,
      lastActivityAt: room.lastActivityAt.toISOString(),
    };
    if (row.peerId && row.peerUsername && row.peerDisplayName !== null) {
      summary.peer = {
        id: row.peerId,
        username: row.peerUsername,
        displayName: row.peerDisplayName,
        avatarUrl: avatarUrl(row.peerAvatarKey),
      };
    }
    return { userId: row.userId, room: summary };
  });
}
