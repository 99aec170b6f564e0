import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { memberships, users } from "../db/schema";
import type { Role } from "../protocol/rooms";
import { sendToUser } from "../user-channel/client";
import { roomObject } from "./access";
import { announceMember, memberInfo } from "./member-events";
import { endRoom } from "./room-ends";
import { successorOf } from "./room-model";

// Someone leaves a room: by POST …/leave, or because their account is deleted. An owner hands the
// room to the longest-standing admin, else member; a room nobody is left in is deleted (a direct
// room stays for the other person, or for whoever opens it again). Their sockets to the room close,
// the room leaves their room list, and everyone else's member list shows them gone.

export type Leaver = { roomId: string; userId: string; role: Role; kind: "public" | "private" | "direct" };

export async function memberLeaves(env: Env, db: Database, leaver: Leaver): Promise<void> {
  const { roomId, userId, role } = leaver;
  const mine = and(eq(memberships.roomId, roomId), eq(memberships.userId, userId));
  const successor = await successorOf(db, roomId, userId);
  if (!successor && leaver.kind !== "direct") {
    // The last one out: a room nobody is in can never be moderated again, so it goes.
    await endRoom(env, db, roomId);
    return;
  }
  const handsOver = successor !== null && role === "owner";
  if (handsOver) {
    await db.batch([
      db.delete(memberships).where(mine),
      db
        .update(memberships)
        .set({ role: "owner" })
        .where(and(eq(memberships.roomId, roomId), eq(memberships.userId, successor))),
    ]);
  } else {
    await db.delete(memberships).where(mine);
  }
  await roomObject(env, roomId).disconnectMember(userId, "You left this room.");
  await sendToUser(env, userId, { type: "room_removed", roomId });
  const [me] = await db.select().from(users).where(eq(users.id, userId));
  if (me) await announceMember(env, roomId, memberInfo(me, role), "left");
  if (handsOver) {
    const [heir] = await db.select().from(users).where(eq(users.id, successor));
    if (heir) await announceMember(env, roomId, memberInfo(heir, "owner"), "updated");
  }
}
