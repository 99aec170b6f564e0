import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { memberships } from "../db/schema";
import { avatarUrl } from "../media/keys";
import type { MemberChange, MemberInfo } from "../protocol/frames";
import type { Role } from "../protocol/rooms";
import { roomObject } from "./access";

// The member list on everyone's screen follows the changes made over REST: each change is told to
// the room, which sends a `member` frame to every socket in it (API.md "Real time, extended").

type Person = { id: string; username: string; displayName: string; avatarKey?: string | null };

export function memberInfo(person: Person, role: Role): MemberInfo {
  return {
    userId: person.id,
    username: person.username,
    displayName: person.displayName,
    role,
    avatarUrl: avatarUrl(person.avatarKey ?? null),
  };
}

export async function announceMember(
  env: Env,
  roomId: string,
  member: MemberInfo,
  change: MemberChange,
): Promise<void> {
  try {
    await roomObject(env, roomId).memberChanged(roomId, member, change);
  } catch (error) {
    // A live-update failure must not fail the change itself; screens catch up on the next load.
    console.error("member announcement failed", roomId, error);
  }
}

/** Someone changed their profile: every room they are in shows the new name. */
export async function announceProfile(env: Env, db: Database, person: Person): Promise<void> {
  const rooms = await db
    .select({ roomId: memberships.roomId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, person.id));
  await Promise.all(
    rooms.map((room) => announceMember(env, room.roomId, memberInfo(person, room.role), "updated")),
  );
}
