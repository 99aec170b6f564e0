import type { SessionMatch } from "../sockets/sessions";
import { userChannel } from "../user-channel/client";
import { forgetSessions } from "./session-check";

// Sessions end everywhere (API.md "Safety rules"): when a sign-in ends (logout, a password change,
// a reused refresh token, account deletion), the sockets it opened close with 4001, on the user's
// channel and in every room where the user has sockets (the channel knows which), and this isolate
// refuses the sessions' access tokens at once (other isolates within SESSION_CHECK_TTL_S).
// Call it after the sessions are revoked in D1.

export async function endSessionsEverywhere(env: Env, userId: string, match: SessionMatch): Promise<void> {
  forgetSessions(userId, match);
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
