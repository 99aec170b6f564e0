import { database } from "../db/client";
import type { ServerFrame } from "../protocol";
import { roomSummaries } from "./summary";

// Keeping room lists live: frames go to each affected user's own channel (a UserChannel Durable
// Object per user), which forwards them to that user's open sockets.

export function userChannel(env: Env, userId: string) {
  return env.USER_CHANNELS.get(env.USER_CHANNELS.idFromName(userId));
}

/** Sends one frame to a user's open sockets; true if at least one received it. */
export async function sendToUser(env: Env, userId: string, frame: ServerFrame): Promise<boolean> {
  try {
    return await userChannel(env, userId).deliver(frame);
  } catch (error) {
    // A live-update failure must never fail the write that caused it; the list catches up on reload.
    console.error("user channel delivery failed", userId, error);
    return false;
  }
}

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
