import { database } from "../db/client";
import { sendToUser } from "../user-channel/client";
import { roomSummaries } from "./summaries";

// Keeping room lists live: a room's current summary goes to the user channel of each affected member.

/**
 * Pushes the room's current summary to its members who are online (O(members online), one D1
 * query). Returns who received it, with the last seq it carried, so the room can count the
 * message as delivered to them.
 */
export async function pushRoomSummaries(
  env: Env,
  roomId: string,
  type: "room_updated" | "room_added",
  userIds?: string[],
): Promise<{ userId: string; seq: number }[]> {
  const summaries = await roomSummaries(database(env.DB), { roomId, onlineOnly: true, userIds });
  const results = await Promise.all(
    summaries.map(async ({ userId, room }) =>
      (await sendToUser(env, userId, { type, room })) ? { userId, seq: room.lastMessage?.seq ?? 0 } : null,
    ),
  );
  return results.filter((result) => result !== null);
}
