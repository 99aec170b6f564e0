import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { database } from "../db/client";
import { users } from "../db/schema";
import { ApiError, invalidRequest, unauthorized } from "../http/errors";
import {
  bearerSecurity,
  errorResponses,
  jsonBody,
  jsonResponse,
  optionalJsonBody,
  publicSecurity,
} from "../http/openapi";
import { openRoutes } from "../http/routers";
import { limit } from "../limits/limit";
import { lookalikeKey } from "../users/lookalike";
import { insertAccount } from "../users/names";
import { currentUser, ownProfile, type User, usernameKey } from "../users/user";
import { clearRefreshCookie, refreshCookie, setRefreshCookie } from "./cookie";
import { requireUser } from "./middleware";
import { hashPassword, verifyAgainstDecoy, verifyPassword } from "./password";
import { assertPasswordAllowed } from "./password-policy";
import {
  type AuthResult,
  AuthResultSchema,
  type CookieAuthResult,
  CookieAuthResultSchema,
  LoginBody,
  RefreshBody,
  RegisterBody,
  TicketSchema,
  VerifyBody,
  VerifyResultSchema,
} from "./schemas";
import { assertSessionLive } from "./session-check";
import { endSessionsEverywhere } from "./session-ends";
import { endSession, type IssuedSession, rotateRefreshToken, startSession } from "./sessions";
import { beforePasswordCheck } from "./sign-in-limit";
import { issueTicket } from "./tickets";
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, verifyAccessToken } from "./tokens";

const tags = ["Auth"];
// Signing up and in need no credentials: the answers are the credentials.
const security = publicSecurity;

// A token answer is one of two shapes: the body flow (refreshToken in the JSON) or the cookie flow
// (useCookie, or a refresh by cookie: no refreshToken). The OpenAPI document says so (oneOf), and
// hc<AppType> gives the web client the union: it reads only the fields both have.
const TokenAnswer = z.union([AuthResultSchema, CookieAuthResultSchema]);
const tokenAnswerNote = `The answer carries \`Cache-Control: no-store\`. With \`useCookie: true\` the refresh token
is not in the body but in an \`HttpOnly; Secure; SameSite=Strict; Path=/api/auth\` cookie.`;

const register = createRoute({
  method: "post",
  path: "/register",
  operationId: "register",
  tags,
  security,
  summary: "Create an account and sign in",
  description: `Usernames are unique by a look-alike key: case, 0/O, 1/l/I, rn/m and the other Unicode
confusables (UTS #39) fold together, so 409 also answers a name "too similar to an existing username".
The password must not be the username, nor one of the 10,000 most common passwords (400 says which).
At most 20 sign-ups per client address per hour (RATE_SIGNUP_PER_ADDRESS). ${tokenAnswerNote}`,
  middleware: [limit("signUp")],
  request: jsonBody(RegisterBody),
  responses: {
    201: jsonResponse(TokenAnswer, "The new user, signed in."),
    ...errorResponses(400, 409, 413, 415, 429),
  },
});

const login = createRoute({
  method: "post",
  path: "/login",
  operationId: "logIn",
  tags,
  security,
  summary: "Sign in with username and password",
  description: `A wrong username and a wrong password get the same 401. Attempts are counted before the
password is checked: per (username, client address), 5 wrong passwords, then waits that double from 1 s
to 15 min (429 with Retry-After), and per client address 60 attempts per 15 minutes whatever the username;
a right password gives its attempt back and resets the back-off. Wrong guesses from one address never
stop the right password from another. ${tokenAnswerNote}`,
  request: jsonBody(LoginBody),
  responses: {
    200: jsonResponse(TokenAnswer, "Signed in."),
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
  description: `The presented refresh token is spent. Presenting it again within 30 s while its successor is
unused (a retry whose answer was lost) returns that same successor; later, or once the successor was used,
it revokes the whole session (401) and closes its sockets (4001). Without \`refreshToken\` in the body the
cookie set by \`useCookie\` is used, and the new refresh token goes back into the cookie. ${tokenAnswerNote}`,
  request: optionalJsonBody(RefreshBody),
  responses: {
    200: jsonResponse(TokenAnswer, "A new access token and refresh token."),
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
  description: `The session's access tokens stop working (within 30 s everywhere) and its sockets close (4001).
Without \`refreshToken\` in the body the cookie is used, and cleared.`,
  request: optionalJsonBody(RefreshBody),
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
  description: "401 for a token that is invalid, expired, or of a session that has ended.",
  request: jsonBody(VerifyBody),
  responses: {
    200: jsonResponse(VerifyResultSchema, "The token is valid."),
    ...errorResponses(400, 401, 413, 415),
  },
});

const ticket = createRoute({
  method: "post",
  path: "/ticket",
  operationId: "createSocketTicket",
  tags,
  security: bearerSecurity,
  summary: "A one-time ticket to open a WebSocket",
  description: `For pages: open \`/api/rooms/{roomId}/ws?ticket=…\` or \`/api/ws?ticket=…\` with it instead of
putting the access token in the URL. It works once, within \`expiresIn\` seconds (30, at most 60, never past
the access token's own expiry), for your user and session; the socket it opens closes (4001) when the
access token that asked for it expires. At most 60 per minute (RATE_SOCKET_TICKET_PER_USER).`,
  middleware: [requireUser, limit("socketTicket")],
  responses: {
    201: jsonResponse(TicketSchema, "The ticket."),
    ...errorResponses(401, 429),
  },
});

/** The answer of every call that signs someone in (register, login, refresh, demo). */
export async function tokenAnswer(
  c: Context<AppEnv>,
  user: User,
  session: IssuedSession,
  useCookie: boolean,
): Promise<AuthResult | CookieAuthResult> {
  // A token must never be kept by a cache between us and the client.
  c.header("Cache-Control", "no-store");
  const answer = {
    user: ownProfile(user),
    accessToken: await signAccessToken(c.env, user.id, session.sessionId),
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
  };
  if (!useCookie) return { ...answer, refreshToken: session.refreshToken };
  setRefreshCookie(c, session.refreshToken);
  return answer;
}

/** The refresh token of a refresh or logout: from the body (curl), else the cookie (the web client). */
function presentedRefreshToken(c: Context<AppEnv>, fromBody: string | undefined) {
  const presented = fromBody ?? refreshCookie(c);
  if (!presented)
    throw invalidRequest("refreshToken: is required (in the body, or as the cookie that useCookie sets)");
  return { presented, byCookie: fromBody === undefined };
}

export const authRoutes = openRoutes()
  .openapi(register, async (c) => {
    const { username, password, displayName, useCookie } = c.req.valid("json");
    await assertPasswordAllowed("password", password, username);
    const db = database(c.env.DB);
    const user: User = {
      id: crypto.randomUUID(),
      username,
      usernameKey: usernameKey(username),
      lookalikeKey: lookalikeKey(username),
      displayName: displayName ?? username,
      bio: "",
      passwordHash: await hashPassword(password),
      createdAt: new Date(),
      online: false,
      lastSeenAt: null,
      avatarKey: null,
      deletedAt: null,
    };
    await insertAccount(db, user);
    return c.json(await tokenAnswer(c, user, await startSession(db, user.id), useCookie === true), 201);
  })
  .openapi(login, async (c) => {
    const { username, password, useCookie } = c.req.valid("json");
    // Counted before the password is checked, so parallel guesses cannot pass the limit together.
    const check = await beforePasswordCheck(c.env, c.req.raw.headers, username);
    const db = database(c.env.DB);
    const user = await db.query.users.findFirst({ where: eq(users.usernameKey, usernameKey(username)) });
    const live = user && !user.deletedAt ? user : undefined;
    const ok = live ? await verifyPassword(password, live.passwordHash) : await verifyAgainstDecoy(password);
    if (!live || !ok) throw unauthorized("Wrong username or password.");
    await check.succeeded();
    return c.json(await tokenAnswer(c, live, await startSession(db, live.id), useCookie === true), 200);
  })
  .openapi(refresh, async (c) => {
    const { presented, byCookie } = presentedRefreshToken(c, c.req.valid("json").refreshToken);
    const db = database(c.env.DB);
    try {
      const session = await rotateRefreshToken(db, c.env, presented, (reused) =>
        endSessionsEverywhere(c.env, reused.userId, { sessionIds: [reused.sessionId] }),
      );
      const user = await currentUser(db, session.userId);
      return c.json(await tokenAnswer(c, user, session, byCookie), 200);
    } catch (error) {
      // A cookie that no longer works is of no use to keep.
      if (byCookie && error instanceof ApiError && error.code === "unauthorized") clearRefreshCookie(c);
      throw error;
    }
  })
  .openapi(logout, async (c) => {
    const { presented, byCookie } = presentedRefreshToken(c, c.req.valid("json").refreshToken);
    const ended = await endSession(database(c.env.DB), presented);
    if (ended) await endSessionsEverywhere(c.env, ended.userId, { sessionIds: [ended.sessionId] });
    if (byCookie) clearRefreshCookie(c);
    return c.body(null, 204);
  })
  .openapi(verify, async (c) => {
    const claims = await verifyAccessToken(c.env, c.req.valid("json").token);
    await assertSessionLive(c.env, claims);
    return c.json(
      { valid: true as const, userId: claims.userId, expiresAt: claims.expiresAt.toISOString() },
      200,
    );
  })
  .openapi(ticket, async (c) => {
    const { id, sessionId, tokenExpiresAt } = c.var.user;
    const issued = await issueTicket(database(c.env.DB), c.env, {
      userId: id,
      sessionId,
      expiresAt: tokenExpiresAt,
    });
    c.header("Cache-Control", "no-store");
    return c.json(issued, 201);
  });
