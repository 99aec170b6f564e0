import type { ChannelFrame } from "../protocol/frames";

// How the rest of the Worker reaches a user's own channel (a UserChannel Durable Object per user),
// which forwards frames to that user's open sockets and knows which rooms they have sockets in.

export function userChannel(env: Env, userId: string) {
  return env.USER_CHANNELS.get(env.USER_CHANNELS.idFromName(userId));
}

/** Sends one frame to a user's open sockets; true if at least one received it. */
export async function sendToUser(env: Env, userId: string, frame: ChannelFrame): Promise<boolean> {
  try {
    return await userChannel(env, userId).deliver(frame);
  } catch (error) {
    // A live-update failure must never fail the write that caused it; the list catches up on reload.
    console.error("user channel delivery failed", userId, error);
    return false;
  }
}

/** A room tells the user's channel that they have (or no longer have) sockets in it. */
export async function noteRoomSockets(
  env: Env,
  userId: string,
  roomId: string,
  open: boolean,
): Promise<void> {
  try {
    await userChannel(env, userId).noteRoomSockets(roomId, open);
  } catch (error) {
    // At worst a later session end visits a room with no sockets of theirs, or misses one that
    // closes its socket at the token's expiry anyway.
    console.error("noting room sockets failed", userId, roomId, error);
  }
}
