import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq, gte, lt, ne } from "drizzle-orm";
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from "../auth/login-limit";
import { hashPassword, verifyPassword } from "../auth/password";
import { endSessionsEverywhere } from "../auth/session-ends";
import { revokeOtherSessions } from "../auth/sessions";
import { database } from "../db/client";
import { users } from "../db/schema";
import { forbidden, notFound } from "../http/errors";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { announceProfile } from "../rooms/member-events";
import {
  ChangePasswordBody,
  OwnProfileSchema,
  PublicProfileSchema,
  UpdateProfileBody,
  UserIdParams,
  UserListSchema,
  UserSearchQuery,
} from "./schemas";
import { currentUser, ownProfile, publicProfile } from "./user";

const tags = ["Users"];
const security = bearerSecurity;

const getMe = createRoute({
  method: "get",
  path: "/me",
  operationId: "getMe",
  tags,
  security,
  summary: "The signed-in user's own profile",
  responses: { 200: jsonResponse(OwnProfileSchema, "Your profile."), ...errorResponses(401) },
});

const updateMe = createRoute({
  method: "patch",
  path: "/me",
  operationId: "updateMe",
  tags,
  security,
  summary: "Edit your display name or bio",
  description: "Fields left out are kept. An invalid field changes nothing (400).",
  request: jsonBody(UpdateProfileBody),
  responses: {
    200: jsonResponse(OwnProfileSchema, "The updated profile."),
    ...errorResponses(400, 401, 413, 415),
  },
});

const changePassword = createRoute({
  method: "post",
  path: "/me/password",
  operationId: "changePassword",
  tags,
  security,
  summary: "Change your password",
  description: `Your other sessions are revoked: their refresh tokens stop working at once, and their
access tokens expire within 15 minutes. Wrong current passwords count toward the sign-in limit.`,
  request: jsonBody(ChangePasswordBody),
  responses: { 204: { description: "Changed." }, ...errorResponses(400, 401, 403, 413, 415, 429) },
});

const searchUsers = createRoute({
  method: "get",
  path: "/",
  operationId: "searchUsers",
  tags,
  security,
  summary: "Find people by username prefix",
  description: "Case-insensitive prefix match on the username, ordered by username. The caller is left out.",
  request: { query: UserSearchQuery },
  responses: {
    200: jsonResponse(UserListSchema, "Matching users."),
    ...errorResponses(400, 401),
  },
});

const getUser = createRoute({
  method: "get",
  path: "/{userId}",
  operationId: "getUser",
  tags,
  security,
  summary: "One user's public profile",
  request: { params: UserIdParams },
  responses: { 200: jsonResponse(PublicProfileSchema, "The user."), ...errorResponses(401, 404) },
});

// Usernames are ASCII below 0x7f, so [prefix, prefix + "\x7f") is exactly "starts with prefix",
// and, unlike LIKE, the range is answered from the unique index on username_key.
function startsWith(prefix: string) {
  return and(gte(users.usernameKey, prefix), lt(users.usernameKey, `${prefix}\x7f`));
}

export const userRoutes = signedInRoutes()
  .openapi(getMe, async (c) => {
    const user = await currentUser(database(c.env.DB), c.var.user.id);
    return c.json(ownProfile(user), 200);
  })
  .openapi(updateMe, async (c) => {
    const changes = c.req.valid("json");
    const db = database(c.env.DB);
    if (changes.displayName !== undefined || changes.bio !== undefined) {
      await db.update(users).set(changes).where(eq(users.id, c.var.user.id));
    }
    const user = await currentUser(db, c.var.user.id);
    // Every room they are in shows the new name; the answer does not wait for that.
    if (changes.displayName !== undefined) c.executionCtx.waitUntil(announceProfile(c.env, db, user));
    return c.json(ownProfile(user), 200);
  })
  .openapi(changePassword, async (c) => {
    const { currentPassword, newPassword } = c.req.valid("json");
    const db = database(c.env.DB);
    const user = await currentUser(db, c.var.user.id);
    await assertLoginAllowed(db, user.usernameKey);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      await recordLoginFailure(db, user.usernameKey);
      throw forbidden("The current password is wrong.");
    }
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(newPassword) })
      .where(eq(users.id, user.id));
    await revokeOtherSessions(db, user.id, c.var.user.sessionId);
    await endSessionsEverywhere(c.env, user.id, { allBut: c.var.user.sessionId });
    await clearLoginFailures(db, user.usernameKey);
    return c.body(null, 204);
  })
  .openapi(searchUsers, async (c) => {
    const { q, limit } = c.req.valid("query");
    const found = await database(c.env.DB)
      .select()
      .from(users)
      .where(and(startsWith((q ?? "").toLowerCase()), ne(users.id, c.var.user.id)))
      .orderBy(asc(users.usernameKey))
      .limit(limit);
    return c.json({ users: found.map(publicProfile) }, 200);
  })
  .openapi(getUser, async (c) => {
    const { userId } = c.req.valid("param");
    const user = await database(c.env.DB).query.users.findFirst({ where: eq(users.id, userId) });
    if (!user) throw notFound("No such user.");
    return c.json(publicProfile(user), 200);
  });
