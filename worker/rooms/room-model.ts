import { and, asc, eq, gt, isNull, ne, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { memberships, roomBans, users } from "../db/schema";
import { notFound } from "../http/errors";
import { avatarUrl } from "../media/keys";
import type { Role } from "../protocol/rooms";
import type { RoomRow } from "./access";
import type { Member, RoomDetail } from "./schemas";

// What a room is made of in D1, beyond its row: its members.

export async function membersOf(db: Database, roomId: string): Promise<Member[]> {
  return db
    .select({
      userId: memberships.userId,
      username: users.username,
      displayName: users.displayName,
      role: memberships.role,
      online: users.online,
      avatarKey: users.avatarKey,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.roomId, roomId))
    .orderBy(
      sql`CASE ${memberships.role} WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`,
      asc(users.usernameKey),
    )
    .then((rows) => rows.map(({ avatarKey, ...member }) => ({ ...member, avatarUrl: avatarUrl(avatarKey) })));
}

export async function roomDetail(db: Database, room: RoomRow, role: Role | null): Promise<RoomDetail> {
  return {
    id: room.id,
    kind: room.kind,
    name: room.name,
    topic: room.topic,
    createdAt: room.createdAt.toISOString(),
    role,
    members: await membersOf(db, room.id),
  };
}

/** Who takes over when an owner leaves: the longest-standing admin, else the longest-standing member. */
export async function successorOf(db: Database, roomId: string, ownerId: string): Promise<string | null> {
  const [next] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.roomId, roomId), ne(memberships.userId, ownerId)))
    .orderBy(sql`CASE ${memberships.role} WHEN 'admin' THEN 0 ELSE 1 END`, asc(memberships.joinedAt))
    .limit(1);
  return next?.userId ?? null;
}

/** A person by id, or 404. */
export async function personOf(db: Database, userId: string) {
  const [found] = await db.select().from(users).where(eq(users.id, userId));
  if (!found) throw notFound("No such user.");
  return found;
}

/** Someone's membership of a room (their role), or null. */
export async function membershipOf(db: Database, roomId: string, userId: string) {
  const [found] = await db
    .select({ role: memberships.role, joinedAt: memberships.joinedAt })
    .from(memberships)
    .where(and(eq(memberships.roomId, roomId), eq(memberships.userId, userId)));
  return found ?? null;
}

/** A ban of this person from this room that has not ended, or null. */
export async function activeBan(db: Database, roomId: string, userId: string) {
  const [found] = await db
    .select({ until: roomBans.until })
    .from(roomBans)
    .where(
      and(
        eq(roomBans.roomId, roomId),
        eq(roomBans.userId, userId),
        or(isNull(roomBans.until), gt(roomBans.until, new Date())),
      ),
    );
  return found ?? null;
}

/** The id of the direct room of two people: the same whoever opens it, so racing opens agree. */
export async function directRoomKey(
  a: string,
  b: string,
): Promise<{ key: string; id: string; pair: [string, string] }> {
  const pair: [string, string] = a < b ? [a, b] : [b, a];
  const key = `${pair[0]}:${pair[1]}`;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  const hex = Array.from(digest.slice(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return { key, id: `dm-${hex}`, pair };
}
