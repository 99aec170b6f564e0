import { createRoute } from "@hono/zod-openapi";
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { database } from "../db/client";
import { memberships, roomBans, users } from "../db/schema";
import { forbidden, notFound } from "../http/errors";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { avatarUrl } from "../media/keys";
import type { Role } from "../protocol/rooms";
import type { Caller } from "../room-object/api";
import { sendToUser } from "../user-channel/client";
import { type RoomAccess, requireRole, roomAccess, roomObject } from "./access";
import { memberInfo } from "./member-events";
import {
  AuditPageSchema,
  AuditQuery,
  BanBody,
  BanListSchema,
  ChangeRoleBody,
  MemberParams,
  MuteBody,
  MuteListSchema,
  RoomParams,
} from "./moderation-schemas";
import { membershipOf, personOf } from "./room-model";
import { MemberSchema } from "./schemas";

// Moderation over REST (API.md "Moderation and accounts"): role changes and handing a room over,
// bans and mutes with an end, and the audit log. The Worker checks who may act on whom (with the
// roles in D1) and writes D1; the room records, enforces and tells (room-object/moderation.ts).
//
// Who may act on whom: the owner on anyone; an admin on plain members only; nobody on themselves.

const tags = ["Moderation"];
const security = bearerSecurity;

const changeRole = createRoute({
  operationId: "changeMemberRole",
  method: "patch",
  path: "/{roomId}/members/{userId}",
  tags,
  security,
  summary: "Change someone's role (owner)",
  description:
    'The owner makes or unmakes admins; `{role: "owner"}` hands the room over and the old owner becomes an admin.',
  request: { params: MemberParams, ...jsonBody(ChangeRoleBody) },
  responses: {
    200: jsonResponse(MemberSchema, "The member with the new role."),
    ...errorResponses(400, 401, 403, 404, 413, 415),
  },
});

const ban = createRoute({
  operationId: "banMember",
  method: "post",
  path: "/{roomId}/bans",
  tags,
  security,
  summary: "Ban someone from a room (owner or admin)",
  description:
    "Removes them if they are a member, closes their sockets to the room (4003), and refuses joining and adding them (403) until the ban ends (`minutes`) or is lifted. Admins cannot ban admins or the owner.",
  request: { params: RoomParams, ...jsonBody(BanBody) },
  responses: { 204: { description: "Banned." }, ...errorResponses(400, 401, 403, 404, 413, 415) },
});

const unban = createRoute({
  operationId: "unbanMember",
  method: "delete",
  path: "/{roomId}/bans/{userId}",
  tags,
  security,
  summary: "Lift a ban (owner or admin)",
  request: { params: MemberParams },
  responses: { 204: { description: "Lifted (or there was none)." }, ...errorResponses(401, 403, 404) },
});

const listBans = createRoute({
  operationId: "listBans",
  method: "get",
  path: "/{roomId}/bans",
  tags,
  security,
  summary: "Bans in force (owner or admin)",
  request: { params: RoomParams },
  responses: { 200: jsonResponse(BanListSchema, "Newest first."), ...errorResponses(401, 403, 404) },
});

const mute = createRoute({
  operationId: "muteMember",
  method: "post",
  path: "/{roomId}/mutes",
  tags,
  security,
  summary: "Mute a member for a while (owner or admin)",
  description:
    "A muted member still reads, but cannot send, edit or react (403, or an `error` frame `forbidden`) until the mute ends. Admins cannot mute admins or the owner.",
  request: { params: RoomParams, ...jsonBody(MuteBody) },
  responses: { 204: { description: "Muted." }, ...errorResponses(400, 401, 403, 404, 413, 415) },
});

const unmute = createRoute({
  operationId: "unmuteMember",
  method: "delete",
  path: "/{roomId}/mutes/{userId}",
  tags,
  security,
  summary: "End a mute (owner or admin)",
  request: { params: MemberParams },
  responses: { 204: { description: "Ended (or there was none)." }, ...errorResponses(401, 403, 404) },
});

const listMutes = createRoute({
  operationId: "listMutes",
  method: "get",
  path: "/{roomId}/mutes",
  tags,
  security,
  summary: "Mutes in force (owner or admin)",
  request: { params: RoomParams },
  responses: { 200: jsonResponse(MuteListSchema, "Newest first."), ...errorResponses(401, 403, 404) },
});

const audit = createRoute({
  operationId: "listAuditEntries",
  method: "get",
  path: "/{roomId}/audit",
  tags,
  security,
  summary: "The room's audit log (owner or admin)",
  description:
    "Who removed, banned, muted, changed roles, renamed, or deleted someone else's message, and when; newest first. `before` is an entry id.",
  request: { params: RoomParams, query: AuditQuery },
  responses: {
    200: jsonResponse(AuditPageSchema, "A page of entries."),
    ...errorResponses(400, 401, 403, 404),
  },
});

/** A moderator acting on `targetId`: the owner on anyone, an admin on plain members only. */
function mayActOn(caller: Caller, targetId: string, targetRole: Role | null, what: string): void {
  if (targetId === caller.userId) throw forbidden(`You cannot ${what} yourself.`);
  if (targetRole === "owner") throw forbidden(`Nobody can ${what} the owner.`);
  if (caller.role === "admin" && targetRole === "admin")
    throw forbidden(`Admins cannot ${what} other admins.`);
}

function moderatorOf(access: RoomAccess, action: string): Caller {
  const caller = requireRole(access, ["owner", "admin"], action);
  if (access.room.kind === "direct")
    throw forbidden("A direct room has no moderators; block the person instead.");
  return caller;
}

async function names(db: Database, ids: string[]) {
  if (ids.length === 0) return new Map<string, { username: string; displayName: string }>();
  const found = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(users)
    .where(inArray(users.id, ids));
  return new Map(found.map((row) => [row.id, row]));
}

const iso = (ms: number) => new Date(ms).toISOString();
const until = (minutes: number) => Date.now() + minutes * 60_000;

export const moderationRoutes = signedInRoutes()
  .openapi(changeRole, async (c) => {
    const { roomId, userId } = c.req.valid("param");
    const db = database(c.env.DB);
    const access = await roomAccess(db, roomId, c.var.user.id);
    const caller = requireRole(access, ["owner"], "change roles");
    if (access.room.kind === "direct") throw forbidden("A direct room has no roles to change.");
    const { role } = c.req.valid("json");
    if (userId === caller.userId) throw forbidden("To hand the room over, name the new owner.");
    const target = await membershipOf(db, roomId, userId);
    if (!target) throw notFound("That user is not a member of this room.");
    const them = and(eq(memberships.roomId, roomId), eq(memberships.userId, userId));
    const me = and(eq(memberships.roomId, roomId), eq(memberships.userId, caller.userId));
    if (role === "owner") {
      await db.batch([
        db.update(memberships).set({ role: "owner" }).where(them),
        db.update(memberships).set({ role: "admin" }).where(me),
      ]);
    } else {
      await db.update(memberships).set({ role }).where(them);
    }
    const room = roomObject(c.env, roomId);
    const person = await personOf(db, userId);
    await room.moderate(caller, { kind: "role", member: memberInfo(person, role), from: target.role });
    if (role === "owner") {
      const self = await personOf(db, caller.userId);
      await room.moderate(caller, { kind: "role", member: memberInfo(self, "admin"), from: "owner" });
    }
    return c.json(
      {
        userId,
        username: person.username,
        displayName: person.displayName,
        role,
        online: person.online,
        avatarUrl: avatarUrl(person.avatarKey),
      },
      200,
    );
  })
  .openapi(ban, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    const caller = moderatorOf(access, "ban people");
    const { userId, reason = "", minutes } = c.req.valid("json");
    const person = await personOf(db, userId);
    const target = await membershipOf(db, caller.roomId, userId);
    mayActOn(caller, userId, target?.role ?? null, "ban");
    const ends = minutes === undefined ? null : until(minutes);
    await db.batch([
      db
        .delete(memberships)
        .where(and(eq(memberships.roomId, caller.roomId), eq(memberships.userId, userId))),
      db
        .insert(roomBans)
        .values({ roomId: caller.roomId, userId, until: ends === null ? null : new Date(ends) })
        .onConflictDoUpdate({
          target: [roomBans.roomId, roomBans.userId],
          set: { until: ends === null ? null : new Date(ends) },
        }),
    ]);
    const member = memberInfo(person, target?.role ?? "member");
    await roomObject(c.env, caller.roomId).moderate(caller, { kind: "ban", member, reason, until: ends });
    if (target) await sendToUser(c.env, userId, { type: "room_removed", roomId: caller.roomId });
    return c.body(null, 204);
  })
  .openapi(unban, async (c) => {
    const { roomId, userId } = c.req.valid("param");
    const db = database(c.env.DB);
    const caller = moderatorOf(await roomAccess(db, roomId, c.var.user.id), "lift bans");
    await db.delete(roomBans).where(and(eq(roomBans.roomId, roomId), eq(roomBans.userId, userId)));
    await roomObject(c.env, roomId).moderate(caller, { kind: "unban", userId });
    return c.body(null, 204);
  })
  .openapi(listBans, async (c) => {
    const db = database(c.env.DB);
    const caller = moderatorOf(await roomAccess(db, c.req.valid("param").roomId, c.var.user.id), "see bans");
    const view = await roomObject(c.env, caller.roomId).moderationView(caller, { kind: "bans" });
    const bans = view.kind === "bans" ? view.bans : [];
    const people = await names(
      db,
      bans.map((entry) => entry.userId),
    );
    return c.json(
      {
        bans: bans.map((entry) => ({
          userId: entry.userId,
          username: people.get(entry.userId)?.username ?? "",
          displayName: people.get(entry.userId)?.displayName ?? "",
          byUserId: entry.byUserId,
          reason: entry.reason,
          createdAt: iso(entry.at),
          until: entry.until === null ? null : iso(entry.until),
        })),
      },
      200,
    );
  })
  .openapi(mute, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    const caller = moderatorOf(access, "mute people");
    const { userId, minutes } = c.req.valid("json");
    const target = await membershipOf(db, caller.roomId, userId);
    if (!target) throw notFound("That user is not a member of this room.");
    mayActOn(caller, userId, target.role, "mute");
    await roomObject(c.env, caller.roomId).moderate(caller, { kind: "mute", userId, until: until(minutes) });
    return c.body(null, 204);
  })
  .openapi(unmute, async (c) => {
    const { roomId, userId } = c.req.valid("param");
    const db = database(c.env.DB);
    const caller = moderatorOf(await roomAccess(db, roomId, c.var.user.id), "end mutes");
    await roomObject(c.env, roomId).moderate(caller, { kind: "unmute", userId });
    return c.body(null, 204);
  })
  .openapi(listMutes, async (c) => {
    const db = database(c.env.DB);
    const caller = moderatorOf(await roomAccess(db, c.req.valid("param").roomId, c.var.user.id), "see mutes");
    const view = await roomObject(c.env, caller.roomId).moderationView(caller, { kind: "mutes" });
    const mutes = view.kind === "mutes" ? view.mutes : [];
    const people = await names(
      db,
      mutes.map((entry) => entry.userId),
    );
    return c.json(
      {
        mutes: mutes.map((entry) => ({
          userId: entry.userId,
          username: people.get(entry.userId)?.username ?? "",
          displayName: people.get(entry.userId)?.displayName ?? "",
          byUserId: entry.byUserId,
          createdAt: iso(entry.at),
          until: iso(entry.until),
        })),
      },
      200,
    );
  })
  .openapi(audit, async (c) => {
    const db = database(c.env.DB);
    const caller = moderatorOf(
      await roomAccess(db, c.req.valid("param").roomId, c.var.user.id),
      "see the audit log",
    );
    const { before, limit } = c.req.valid("query");
    const query = { kind: "audit" as const, before: before ?? Number.MAX_SAFE_INTEGER, limit };
    const view = await roomObject(c.env, caller.roomId).moderationView(caller, query);
    if (view.kind !== "audit") throw notFound("No audit log.");
    const entries = view.entries.map((entry) => ({
      id: entry.id,
      at: iso(entry.at),
      actorId: entry.actorId,
      action: entry.action,
      ...(entry.targetUserId === null ? {} : { targetUserId: entry.targetUserId }),
      ...(entry.seq === null ? {} : { seq: entry.seq }),
      ...(entry.details === null ? {} : { details: entry.details }),
    }));
    return c.json({ entries, hasMore: view.hasMore }, 200);
  });
