import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { memberships, rooms } from "../db/schema";
import { ApiError, forbidden, notFound } from "../http/errors";
import type { Role } from "../protocol/rooms";
import type { Caller, Outcome } from "../room-object/api";

// Authorization before the room: the Worker looks the caller's membership up in D1 (one query)
// and only then calls the room's Durable Object, handing it the verified identity as a Caller.

export type RoomRow = typeof rooms.$inferSelect;
export type RoomAccess = { room: RoomRow; role: Role | null; userId: string };

/** The room as the caller may see it. Private and direct rooms do not exist for outsiders (404). */
export async function roomAccess(db: Database, roomId: string, userId: string): Promise<RoomAccess> {
  const [row] = await db
    .select({ room: rooms, role: memberships.role })
    .from(rooms)
    .leftJoin(memberships, and(eq(memberships.roomId, rooms.id), eq(memberships.userId, userId)))
    .where(eq(rooms.id, roomId));
  if (!row || (row.role === null && row.room.kind !== "public")) throw notFound("No such room.");
  return { room: row.room, role: row.role, userId };
}

/** The caller must be a member (of a public room they have not joined: 403, join it first). */
export function asMember(access: RoomAccess): Caller {
  if (!access.role) throw forbidden("Join this room first.");
  return { roomId: access.room.id, userId: access.userId, role: access.role };
}

export function requireRole(access: RoomAccess, allowed: Role[], action: string): Caller {
  const caller = asMember(access);
  if (!allowed.includes(caller.role)) throw forbidden(`Only ${allowed.join(" or ")}s can ${action}.`);
  return caller;
}

export function roomObject(env: Env, roomId: string) {
  return env.ROOMS.get(env.ROOMS.idFromName(roomId));
}

/** The value of a room call, or the ApiError it stands for. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new ApiError(outcome.code, outcome.message, undefined, outcome.retryAfter);
}
