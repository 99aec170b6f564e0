import { createRoute } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { type Database, database } from "../db/client";
import { memberships } from "../db/schema";
import { conflict, forbidden, notFound } from "../http/errors";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { avatarUrl } from "../media/keys";
import { pushRoomSummaries } from "../room-list/live";
import { sendToUser } from "../user-channel/client";
import { asMember, requireRole, roomAccess, roomObject } from "./access";
import { memberLeaves } from "./leaving";
import { announceMember, memberInfo } from "./member-events";
import { activeBan, personOf as person, roomDetail } from "./room-model";
import { AddMemberBody, MemberParams, MemberSchema, RoomDetailSchema, RoomParams } from "./schemas";

// Who is in a room: joining a public room, leaving, and owners or admins adding and removing people.
// Each change reaches the room's open screens as a `member` frame, and the person's own room list
// through their user channel.

const tags = ["Rooms"];
const security = bearerSecurity;

const joinRoom = createRoute({
  method: "post",
  path: "/{roomId}/join",
  operationId: "joinRoom",
  tags,
  security,
  summary: "Join a public room",
  request: { params: RoomParams },
  responses: {
    200: jsonResponse(RoomDetailSchema, "The room, now with you in it."),
    ...errorResponses(401, 403, 404),
  },
});

const leaveRoom = createRoute({
  method: "post",
  path: "/{roomId}/leave",
  operationId: "leaveRoom",
  tags,
  security,
  summary: "Leave a room",
  description:
    "Your sockets to the room close (4003). An owner who leaves hands the room to the longest-standing admin, else member; a room nobody is left in is deleted.",
  request: { params: RoomParams },
  responses: { 204: { description: "Left." }, ...errorResponses(401, 403, 404) },
});

const addMember = createRoute({
  method: "post",
  path: "/{roomId}/members",
  operationId: "addMember",
  tags,
  security,
  summary: "Add someone to a public or private room (owner or admin)",
  description: "Only the owner can add an admin.",
  request: { params: RoomParams, ...jsonBody(AddMemberBody) },
  responses: {
    201: jsonResponse(MemberSchema, "The new member."),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415),
  },
});

const removeMember = createRoute({
  method: "delete",
  path: "/{roomId}/members/{userId}",
  operationId: "removeMember",
  tags,
  security,
  summary: "Remove someone from a room (owner or admin)",
  description:
    "Their open sockets to the room close at once with code 4003. Admins cannot remove the owner or other admins.",
  request: { params: MemberParams },
  responses: { 204: { description: "Removed." }, ...errorResponses(401, 403, 404) },
});

async function refuseBanned(db: Database, roomId: string, userId: string, who: string): Promise<void> {
  const ban = await activeBan(db, roomId, userId);
  if (ban) throw forbidden(`${who}${ban.until ? ` until ${ban.until.toISOString()}` : ""}.`);
}

export const memberRoutes = signedInRoutes()
  .openapi(joinRoom, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    if (!access.role) {
      // roomAccess already hid private and direct rooms; only public ones get here.
      await refuseBanned(db, access.room.id, c.var.user.id, "You are banned from this room");
      const [joined] = await db
        .insert(memberships)
        .values({ roomId: access.room.id, userId: c.var.user.id, role: "member", joinedAt: new Date() })
        .onConflictDoNothing()
        .returning({ userId: memberships.userId });
      if (joined) {
        const me = await person(db, c.var.user.id);
        await announceMember(c.env, access.room.id, memberInfo(me, "member"), "joined");
      }
      await pushRoomSummaries(c.env, access.room.id, "room_added", [c.var.user.id]);
    }
    return c.json(await roomDetail(db, access.room, access.role ?? "member"), 200);
  })
  .openapi(leaveRoom, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    const caller = asMember(access);
    await memberLeaves(c.env, db, { ...caller, kind: access.room.kind });
    return c.body(null, 204);
  })
  .openapi(addMember, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    const caller = requireRole(access, ["owner", "admin"], "add members");
    if (access.room.kind === "direct") throw forbidden("A direct room is for exactly two people.");
    const { userId, role = "member" } = c.req.valid("json");
    if (role === "admin" && caller.role !== "owner") throw forbidden("Only the owner can add an admin.");
    const user = await person(db, userId);
    if (user.deletedAt) throw notFound("No such user.");
    await refuseBanned(db, caller.roomId, userId, "That person is banned from this room");
    const [added] = await db
      .insert(memberships)
      .values({ roomId: caller.roomId, userId, role, joinedAt: new Date() })
      .onConflictDoNothing()
      .returning({ userId: memberships.userId });
    if (!added) throw conflict("That user is already a member of this room.");
    await announceMember(c.env, caller.roomId, memberInfo(user, role), "joined");
    await pushRoomSummaries(c.env, caller.roomId, "room_added", [userId]);
    return c.json(
      {
        userId,
        username: user.username,
        displayName: user.displayName,
        role,
        online: user.online,
        avatarUrl: avatarUrl(user.avatarKey),
      },
      201,
    );
  })
  .openapi(removeMember, async (c) => {
    const { roomId, userId } = c.req.valid("param");
    const db = database(c.env.DB);
    const access = await roomAccess(db, roomId, c.var.user.id);
    const caller = requireRole(access, ["owner", "admin"], "remove members");
    if (userId === caller.userId) throw forbidden("To leave a room, use POST /api/rooms/{roomId}/leave.");
    const [target] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.roomId, roomId), eq(memberships.userId, userId)));
    if (!target) throw notFound("That user is not a member of this room.");
    if (caller.role === "admin" && target.role !== "member")
      throw forbidden("Admins can remove members only.");
    await db.delete(memberships).where(and(eq(memberships.roomId, roomId), eq(memberships.userId, userId)));
    const room = roomObject(c.env, roomId);
    await room.disconnectMember(userId);
    await room.moderate(caller, { kind: "removed", userId });
    await sendToUser(c.env, userId, { type: "room_removed", roomId });
    await announceMember(c.env, roomId, memberInfo(await person(db, userId), target.role), "left");
    return c.body(null, 204);
  });
