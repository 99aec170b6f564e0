import { createRoute } from "@hono/zod-openapi";
import { and, asc, eq, gte, isNull, lt, ne } from "drizzle-orm";
import { clearRefreshCookie } from "../auth/cookie";
import { hashPassword, verifyPassword } from "../auth/password";
import { assertPasswordAllowed } from "../auth/password-policy";
import { endSessionsEverywhere } from "../auth/session-ends";
import { revokeOtherSessions } from "../auth/sessions";
import { beforePasswordCheck } from "../auth/sign-in-limit";
import { database } from "../db/client";
import { users } from "../db/schema";
import { forbidden, notFound } from "../http/errors";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { limit } from "../limits/limit";
import { announceProfile } from "../rooms/member-events";
import { deleteAccount } from "./deletion";
import {
  ChangePasswordBody,
  DeleteAccountBody,
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
  middleware: [limit("edit")],
  tags,
  security,
  summary: "Edit your display name or bio",
  description: `Fields left out are kept. An invalid field changes nothing (400). A display name may not contain
control, invisible format (zero-width) or bidirectional-override characters and must contain a letter or a digit.`,
  request: jsonBody(UpdateProfileBody),
  responses: {
    200: jsonResponse(OwnProfileSchema, "The updated profile."),
    ...errorResponses(400, 401, 413, 415, 429),
  },
});

const changePassword = createRoute({
  method: "post",
  path: "/me/password",
  operationId: "changePassword",
  tags,
  security,
  summary: "Change your password",
  description: `Your other sessions are revoked: their refresh tokens stop working at once, their access
tokens within 30 s, and their sockets close (4001). The new password must not be your username nor one of
the 10,000 most common passwords (400). Wrong current passwords count toward the sign-in back-off.`,
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
  description: `Case-insensitive prefix match on the username, ordered by username. The caller and deleted
accounts are left out. At most 60 searches per minute (RATE_USER_SEARCH_PER_USER).`,
  middleware: [limit("searchUsers")],
  request: { query: UserSearchQuery },
  responses: {
    200: jsonResponse(UserListSchema, "Matching users."),
    ...errorResponses(400, 401, 429),
  },
});

const deleteMe = createRoute({
  method: "delete",
  path: "/me",
  operationId: "deleteMe",
  tags,
  security,
  summary: "Delete your account",
  description: `Needs your password (403 if wrong; it counts toward the sign-in back-off). Every session ends and
every socket closes (4001). Your profile becomes "Deleted user"; your messages stay, attributed to it; your
username is free for others after 30 days. You leave every room: a room you own passes to its
longest-standing admin, else member, and a room left empty is deleted.`,
  request: jsonBody(DeleteAccountBody),
  responses: { 204: { description: "Deleted." }, ...errorResponses(400, 401, 403, 413, 415, 429) },
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
    const check = await beforePasswordCheck(c.env, c.req.raw.headers, user.username);
    if (!(await verifyPassword(currentPassword, user.passwordHash)))
      throw forbidden("The current password is wrong.");
    await check.succeeded();
    await assertPasswordAllowed("newPassword", newPassword, user.username);
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(newPassword) })
      .where(eq(users.id, user.id));
    await revokeOtherSessions(db, user.id, c.var.user.sessionId);
    await endSessionsEverywhere(c.env, user.id, { allBut: c.var.user.sessionId });
    return c.body(null, 204);
  })
  .openapi(deleteMe, async (c) => {
    const db = database(c.env.DB);
    const user = await currentUser(db, c.var.user.id);
    const check = await beforePasswordCheck(c.env, c.req.raw.headers, user.username);
    if (!(await verifyPassword(c.req.valid("json").password, user.passwordHash)))
      throw forbidden("The password is wrong.");
    await check.succeeded();
    await deleteAccount(c.env, db, user);
    clearRefreshCookie(c);
    return c.body(null, 204);
  })
  .openapi(searchUsers, async (c) => {
    const { q, limit } = c.req.valid("query");
    const found = await database(c.env.DB)
      .select()
      .from(users)
      .where(and(startsWith((q ?? "").toLowerCase()), ne(users.id, c.var.user.id), isNull(users.deletedAt)))
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
