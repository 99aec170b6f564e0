import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { memberships, rooms } from "../db/schema";
import { sendToUser } from "../user-channel/client";
import { roomObject } from "./access";
import { membersOf } from "./room-model";

// A room ends when its owner deletes it, or when the last person in it leaves: its rows go from D1,
// its object forgets everything and closes every socket (4004), and the room leaves the room lists
// of the members who are online.

export async function endRoom(env: Env, db: Database, roomId: string): Promise<void> {
  const online = (await membersOf(db, roomId)).filter((member) => member.online);
  await db.batch([
    db.delete(memberships).where(eq(memberships.roomId, roomId)),
    db.delete(rooms).where(eq(rooms.id, roomId)),
  ]);
  await roomObject(env, roomId).destroy();
  await Promise.all(online.map((member) => sendToUser(env, member.userId, { type: "room_removed", roomId })));
}
