import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { users } from "../db/schema";
import { conflict, unauthorized } from "../http/errors";
import { errorResponses, jsonBody, jsonResponse, publicSecurity } from "../http/openapi";
import { openRoutes } from "../http/routers";
import { currentUser, ownProfile, type User, usernameKey } from "../users/user";
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from "./login-limit";
import { hashPassword, verifyAgainstDecoy, verifyPassword } from "./password";
import {
  AuthResultSchema,
  LoginBody,
  RefreshBody,
  RegisterBody,
  VerifyBody,
  VerifyResultSchema,
} from "./schemas";
import { endSessionsEverywhere } from "./session-ends";
import { endSession, type IssuedSession, rotateRefreshToken, startSession } from "./sessions";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, verifyAccessToken } from "./tokens";

const tags = ["Auth"];
// Signing up and in need no credentials: the answers are the credentials.
const security = publicSecurity;

const register = createRoute({
  method: "post",
  path: "/register",
  operationId: "register",
  tags,
  security,
  summary: "Create an account and sign in",
  request: jsonBody(RegisterBody),
  responses: {
    201: jsonResponse(AuthResultSchema, "The new user, signed in."),
    ...errorResponses(400, 409, 413, 415),
  },
});

const login = createRoute({
  method: "post",
  path: "/login",
  operationId: "logIn",
  tags,
  security,
  summary: "Sign in with username and password",
  description: `A wrong username and a wrong password get the same 401. After 10 failures for one username
within 15 minutes, sign-in for it answers 429 with Retry-After until the window has passed.`,
  request: jsonBody(LoginBody),
  responses: {
    200: jsonResponse(AuthResultSchema, "Signed in."),
    ...errorResponses(400, 401, 413, 415, 429),
  },
});

const refresh = createRoute({
  method: "post",
  path: "/refresh",
  operationId: "refreshSession",
  tags,
  security,
  summary: "Exchange a refresh token for a new token pair",
  description:
    "The presented refresh token is spent. Presenting a spent token again revokes its whole session (401).",
  request: jsonBody(RefreshBody),
  responses: {
    200: jsonResponse(AuthResultSchema, "A new access token and refresh token."),
    ...errorResponses(400, 401, 413, 415),
  },
});

const logout = createRoute({
  method: "post",
  path: "/logout",
  operationId: "logOut",
  tags,
  security,
  summary: "Sign out: the refresh token's session ends",
  request: jsonBody(RefreshBody),
  responses: {
    204: { description: "Signed out (also for an unknown token)." },
    ...errorResponses(400, 413, 415),
  },
});

const verify = createRoute({
  method: "post",
  path: "/verify",
  operationId: "verifyToken",
  tags,
  security,
  summary: "Check an access token",
  request: jsonBody(VerifyBody),
  responses: {
    200: jsonResponse(VerifyResultSchema, "The token is valid."),
    ...errorResponses(400, 401, 413, 415),
  },
});

/** The answer of every call that signs someone in (register, login, refresh, demo). */
export async function signedIn(env: Env, user: User, session: IssuedSession) {
  return {
    user: ownProfile(user),
    accessToken: await signAccessToken(env.JWT_SECRET, user.id, session.sessionId),
    refreshToken: session.refreshToken,
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
  };
}

export const authRoutes = openRoutes()
  .openapi(register, async (c) => {
    const { username, password, displayName } = c.req.valid("json");
    const db = database(c.env.DB);
    const user: User = {
      id: crypto.randomUUID(),
      username,
      usernameKey: usernameKey(username),
      displayName: displayName ?? username,
      bio: "",
      passwordHash: await hashPassword(password),
      createdAt: new Date(),
      online: false,
      lastSeenAt: null,
      avatarKey: null,
    };
    try {
      await db.insert(users).values(user);
    } catch (error) {
      // The unique index decides, so two sign-ups racing for one name cannot both win.
      if (isUniqueViolation(error)) throw conflict(`The username "${username}" is taken.`);
      throw error;
    }
    return c.json(await signedIn(c.env, user, await startSession(db, user.id)), 201);
  })
  .openapi(login, async (c) => {
    const { username, password } = c.req.valid("json");
    const db = database(c.env.DB);
    const key = usernameKey(username);
    await assertLoginAllowed(db, key);
    const user = await db.query.users.findFirst({ where: eq(users.usernameKey, key) });
    const ok = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDecoy(password);
    if (!user || !ok) {
      await recordLoginFailure(db, key);
      throw unauthorized("Wrong username or password.");
    }
    await clearLoginFailures(db, key);
    return c.json(await signedIn(c.env, user, await startSession(db, user.id)), 200);
  })
  .openapi(refresh, async (c) => {
    const db = database(c.env.DB);
    const session = await rotateRefreshToken(db, c.req.valid("json").refreshToken, (reused) =>
      endSessionsEverywhere(c.env, reused.userId, { sessionIds: [reused.sessionId] }),
    );
    const user = await currentUser(db, session.userId);
    return c.json(await signedIn(c.env, user, session), 200);
  })
  .openapi(logout, async (c) => {
    const ended = await endSession(database(c.env.DB), c.req.valid("json").refreshToken);
    if (ended) await endSessionsEverywhere(c.env, ended.userId, { sessionIds: [ended.sessionId] });
    return c.body(null, 204);
  })
  .openapi(verify, async (c) => {
    const claims = await verifyAccessToken(c.env.JWT_SECRET, c.req.valid("json").token);
    return c.json(
      { valid: true as const, userId: claims.userId, expiresAt: claims.expiresAt.toISOString() },
      200,
    );
  });
