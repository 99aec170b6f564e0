import { invalidRequest } from "../http/errors";

// What a new password may not be (API.md "Passwords"), beyond its length (8–128, in the schema):
// the username, in any case, or one of the 10,000 most common passwords. The list is the ranked
// "passwords" dictionary of @zxcvbn-ts/language-common (from leaked-password corpora), of which the
// first 10,000 are the most common; it is all lower case, so the check is too ("Password1" is
// "password1"). It is checked offline, in the Worker: no password leaves it.

export const COMMON_PASSWORDS = 10_000;

let common: Promise<Set<string>> | undefined;

/** Loaded on first use, by the isolate that needs it: most requests never check a new password. */
function commonPasswords(): Promise<Set<string>> {
  common ??= import("@zxcvbn-ts/language-common/src/passwords.json").then(
    (list) => new Set((list.default as string[]).slice(0, COMMON_PASSWORDS)),
  );
  return common;
}

/** Why this password may not be used, or null. */
export async function passwordProblem(password: string, username: string): Promise<string | null> {
  if (password.toLowerCase() === username.toLowerCase()) return "must not be your username";
  if ((await commonPasswords()).has(password.toLowerCase()))
    return `is one of the ${COMMON_PASSWORDS.toLocaleString("en")} most common passwords; choose another`;
  return null;
}

/** Throws 400 naming `field` unless the password may be used. */
export async function assertPasswordAllowed(
  field: string,
  password: string,
  username: string,
): Promise<void> {
  const problem = await passwordProblem(password, username);
  if (problem) throw invalidRequest(`${field}: ${problem}`);
}
