import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import { unauthorized } from "../http/errors";
import { toBase64Url } from "./base64url";

// Access tokens: short-lived HS256 JWTs. Everything a verifier checks is pinned here, once:
// the algorithm (so "alg: none" or an RS/HS confusion is refused), issuer, audience, subject and expiry.
//
// Key rotation: every token names its key in `kid` (derived from the secret, so it needs no setting
// of its own). Tokens are signed with JWT_SECRET and verified with the key their kid names, which
// may be JWT_SECRET or JWT_SECRET_PREVIOUS: move the old secret to JWT_SECRET_PREVIOUS, put a new
// one in JWT_SECRET, and nobody is signed out; remove JWT_SECRET_PREVIOUS once the last token it
// signed has expired (15 minutes later). Refresh tokens are opaque and do not depend on either.

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = "hubbub";
const AUDIENCE = "hubbub-api";
const ALGORITHM = "HS256";

/** The secrets as the Worker has them; JWT_SECRET_PREVIOUS is set only while a rotation is under way. */
export type TokenSecrets = { JWT_SECRET?: string; JWT_SECRET_PREVIOUS?: string };

export type AccessClaims = {
  userId: string;
  /** The sign-in session (refresh-token family) the token was issued for. */
  sessionId: string;
  expiresAt: Date;
};

type Key = { id: string; bytes: Uint8Array };

const keys = new Map<string, Promise<Key>>();

/** A secret as a key with its id: the first 12 characters of SHA-256("hubbub-jwt-kid:" + secret). */
function keyOf(secret: string): Promise<Key> {
  let key = keys.get(secret);
  if (!key) {
    const bytes = new TextEncoder().encode(secret);
    key = crypto.subtle
      .digest("SHA-256", new TextEncoder().encode(`hubbub-jwt-kid:${secret}`))
      .then((digest) => ({ id: toBase64Url(new Uint8Array(digest)).slice(0, 12), bytes }));
    keys.set(secret, key);
  }
  return key;
}

function checkedSecret(secret: string | undefined, name: string): string {
  // A short or missing secret is a deployment mistake: fail loudly (500, logged), never sign weakly.
  if (!secret || secret.length < 32) throw new Error(`${name} must be set to at least 32 characters`);
  return secret;
}

/** The key that signs, then any key that may still verify. */
async function verificationKeys(secrets: TokenSecrets): Promise<Key[]> {
  const current = await keyOf(checkedSecret(secrets.JWT_SECRET, "JWT_SECRET"));
  if (!secrets.JWT_SECRET_PREVIOUS) return [current];
  return [current, await keyOf(checkedSecret(secrets.JWT_SECRET_PREVIOUS, "JWT_SECRET_PREVIOUS"))];
}

export async function signAccessToken(
  secrets: TokenSecrets,
  userId: string,
  sessionId: string,
): Promise<string> {
  const key = await keyOf(checkedSecret(secrets.JWT_SECRET, "JWT_SECRET"));
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT", kid: key.id })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(key.bytes);
}

/** The keys to try for this token: the one its kid names, or (a token from before kids) each of them. */
function candidates(token: string, known: Key[]): Key[] {
  let kid: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw unauthorized("The access token is invalid.");
  }
  if (kid === undefined) return known;
  const named = known.find((key) => key.id === kid);
  if (!named) throw unauthorized("The access token is invalid.");
  return [named];
}

/** The verified claims, or an `unauthorized` ApiError that says why in plain words. */
export async function verifyAccessToken(secrets: TokenSecrets, token: string): Promise<AccessClaims> {
  const tried = candidates(token, await verificationKeys(secrets));
  let payload: JWTPayload | undefined;
  for (const [index, key] of tried.entries()) {
    try {
      ({ payload } = await jwtVerify(token, key.bytes, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ["sub", "exp", "sid"],
      }));
      break;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized("The access token has expired.");
      const anotherKeyLeft =
        index < tried.length - 1 && error instanceof errors.JWSSignatureVerificationFailed;
      if (anotherKeyLeft) continue;
      if (error instanceof errors.JOSEError) throw unauthorized("The access token is invalid.");
      throw error;
    }
  }
  if (typeof payload?.sub !== "string" || typeof payload.sid !== "string" || payload.exp === undefined) {
    throw unauthorized("The access token is invalid.");
  }
  return { userId: payload.sub, sessionId: payload.sid, expiresAt: new Date(payload.exp * 1000) };
}
