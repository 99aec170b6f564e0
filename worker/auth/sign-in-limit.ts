import { rateLimited } from "../http/errors";
import { clientAddress } from "../limits/client-address";
import { attemptUnder, limiter, retryAfterSeconds } from "../limits/limit";
import { rateOf, signInBackoff } from "../limits/rules";

// Password guessing, limited before the password is checked (API.md "Safety rules"):
// - per (username, client address), a back-off: a few wrong passwords, then waits that double. It is
//   keyed by the address too, so that wrong guesses from one place never lock the real owner out
//   from another: the right password from elsewhere always gets through.
// - per client address, a cap on attempts whatever the username, so that one place cannot spread its
//   guesses over many usernames.
// Both count the attempt when it arrives; a right password then gives it back. So thirty guesses in
// parallel are thirty attempts, of which only the first few are ever checked.
//
// Every check of a password goes through here: sign-in, a password change, an account deletion.

export type PasswordCheck = {
  /** The password was right: this (username, address) starts afresh and the address gets its attempt back. */
  succeeded(): Promise<void>;
};

export async function beforePasswordCheck(
  env: Env,
  headers: Headers,
  username: string,
): Promise<PasswordCheck> {
  const address = clientAddress(headers);
  const rate = rateOf(env, "signIn");
  const perAddress = limiter(env, `signIn:${address}`);
  const verdict = await perAddress.take(rate);
  if (!verdict.ok) {
    const seconds = retryAfterSeconds(verdict);
    throw rateLimited(`Too many sign-in attempts from your address. Try again in ${seconds} s.`, seconds);
  }
  const pairKey = `signInPair:${address}:${username.toLowerCase()}`;
  await attemptUnder(env, pairKey, signInBackoff(env), "failed sign-in attempts for this username");
  return {
    async succeeded() {
      await Promise.all([limiter(env, pairKey).succeeded(), perAddress.giveBack(rate)]);
    },
  };
}
