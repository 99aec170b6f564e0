import type { SessionMatch } from "../sockets/sessions";
import { userChannel } from "../user-channel/client";

// Sessions end everywhere (API.md "Safety rules"): when a sign-in ends (logout, a password change,
// a reused refresh token, account deletion), the sockets it opened close with 4001, on the user's
// channel and in every room where the user has sockets (the channel knows which).

export async function endSessionsEverywhere(env: Env, userId: string, match: SessionMatch): Promise<void> {
  try {
    const rooms = await userChannel(env, userId).endSessions(match);
    await Promise.all(
      rooms.map((roomId) => env.ROOMS.get(env.ROOMS.idFromName(roomId)).endSessions(userId, match)),
    );
  } catch (error) {
    // The session is revoked in D1 already; a socket missed here still closes at its token's expiry.
    console.error("ending sessions' sockets failed", userId, error);
  }
}
