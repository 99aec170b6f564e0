import { errors, jwtVerify, SignJWT } from "jose";
import { unauthorized } from "../http/errors";

// Access tokens: short-lived HS256 JWTs. Everything a verifier checks is pinned here, once:
// the algorithm (so "alg: none" or an RS/HS confusion is refused), issuer, audience, subject and expiry.

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = "hubbub";
const AUDIENCE = "hubbub-api";
const ALGORITHM = "HS256";

export type AccessClaims = {
  userId: string;
  /** The sign-in session (refresh-token family) the token was issued for. */
  sessionId: string;
  expiresAt: Date;
};

function signingKey(secret: string | undefined): Uint8Array {
  // A short or missing secret is a deployment mistake: fail loudly (500, logged), never sign weakly.
  if (!secret || secret.length < 32) throw new Error("JWT_SECRET must be set to at least 32 characters");
  return new TextEncoder().encode(secret);
}

export async function signAccessToken(
  secret: string | undefined,
  userId: string,
  sessionId: string,
): Promise<string> {
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(signingKey(secret));
}

/** The verified claims, or an `unauthorized` ApiError that says why in plain words. */
export async function verifyAccessToken(secret: string | undefined, token: string): Promise<AccessClaims> {
  const key = signingKey(secret);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["sub", "exp", "sid"],
    });
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string" || payload.exp === undefined) {
      throw unauthorized("The access token is invalid.");
    }
    return { userId: payload.sub, sessionId: payload.sid, expiresAt: new Date(payload.exp * 1000) };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw unauthorized("The access token has expired.");
    if (error instanceof errors.JOSEError) throw unauthorized("The access token is invalid.");
    throw error;
  }
}
