import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { and, desc, eq, notExists, sql } from "drizzle-orm";
import type { AppEnv } from "../app-env";
import { requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { memberships, rooms, users } from "../db/schema";
import { conflict, forbidden, invalidRequest, notFound } from "../http/errors";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../http/openapi";
import { validationHook } from "../http/validation";
import { pushRoomSummaries } from "../room-list/live";
import { roomSummaries } from "../room-list/summaries";
import { sendToUser } from "../user-channel/client";
import { asMember, requireRole, roomAccess, roomObject } from "./access";
import { directRoomKey, membersOf, roomDetail, successorOf } from "./room-model";
import {
  AddMemberBody,
  CreateRoomBody,
  DirectRoomBody,
  DiscoverListSchema,
  DiscoverQuery,
  MemberParams,
  MemberSchema,
  RoomDetailSchema,
  RoomListSchema,
  RoomParams,
  UpdateRoomBody,
} from "./schemas";

const tags = ["Rooms"];
const security = bearerSecurity;

const listRooms = createRoute({
  method: "get",
  path: "/",
  tags,
  security,
  summary: "Your rooms, most recently active first",
  description: "Each with unread count, read marker, last-message preview and, for a direct room, the peer.",
  responses: { 200: jsonResponse(RoomListSchema, "Your rooms."), ...errorResponses(401) },
});

const createRoom = createRoute({
  method: "post",
  path: "/",
  tags,
  security,
  summary: "Create a public or private room; you are its owner",
  request: jsonBody(CreateRoomBody),
  responses: { 201: jsonResponse(RoomDetailSchema, "The new room."), ...errorResponses(400, 401, 415) },
});

const discover = createRoute({
  method: "get",
  path: "/discover",
  tags,
  security,
  summary: "Public rooms you can join",
  description:
    "Rooms you are not in, matching `q` anywhere in the name (case-insensitive), most active first.",
  request: { query: DiscoverQuery },
  responses: { 200: jsonResponse(DiscoverListSchema, "Joinable rooms."), ...errorResponses(400, 401) },
});

const openDirect = createRoute({
  method: "post",
  path: "/direct",
  tags,
  security,
  summary: "Open the direct room with someone",
  description: "One room per pair, whoever opens it first: 201 the first time, 200 after, from either side.",
  request: jsonBody(DirectRoomBody),
  responses: {
    200: jsonResponse(RoomDetailSchema, "The existing direct room."),
    201: jsonResponse(RoomDetailSchema, "The direct room, just created."),
    ...errorResponses(400, 401, 404, 415),
  },
});

const getRoom = createRoute({
  method: "get",
  path: "/{roomId}",
  tags,
  security,
  summary: "A room with its members",
  request: { params: RoomParams },
  responses: { 200: jsonResponse(RoomDetailSchema, "The room."), ...errorResponses(401, 404) },
});

const updateRoom = createRoute({
  method: "patch",
  path: "/{roomId}",
  tags,
  security,
  summary: "Rename a room or change its topic (owner or admin)",
  request: { params: RoomParams, ...jsonBody(UpdateRoomBody) },
  responses: { 200: jsonResponse(RoomDetailSchema, "The room."), ...errorResponses(400, 401, 403, 404, 415) },
});

const deleteRoom = createRoute({
  method: "delete",
  path: "/{roomId}",
  tags,
  security,
  summary: "Delete a room (owner)",
  description: "Members' open sockets to the room are closed with code 4004.",
  request: { params: RoomParams },
  responses: { 204: { description: "Deleted." }, ...errorResponses(401, 403, 404) },
});

const joinRoom = createRoute({
  method: "post",
  path: "/{roomId}/join",
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
  tags,
  security,
  summary: "Leave a room",
  description:
    "Your sockets to the room close (4003). An owner who leaves hands the room to the longest-standing admin, else member.",
  request: { params: RoomParams },
  responses: { 204: { description: "Left." }, ...errorResponses(401, 403, 404) },
});

const addMember = createRoute({
  method: "post",
  path: "/{roomId}/members",
  tags,
  security,
  summary: "Add someone to a public or private room (owner or admin)",
  description: "Only the owner can add an admin.",
  request: { params: RoomParams, ...jsonBody(AddMemberBody) },
  responses: {
    201: jsonResponse(MemberSchema, "The new member."),
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

const removeMember = createRoute({
  method: "delete",
  path: "/{roomId}/members/{userId}",
  tags,
  security,
  summary: "Remove someone from a room (owner or admin)",
  description:
    "Their open sockets to the room close at once with code 4003. Admins cannot remove the owner or other admins.",
  request: { params: MemberParams },
  responses: { 204: { description: "Removed." }, ...errorResponses(401, 403, 404) },
});

export const roomRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
roomRoutes.use("*", requireUser);

roomRoutes
  .openapi(listRooms, async (c) => {
    const summaries = await roomSummaries(database(c.env.DB), { userId: c.var.user.id });
    return c.json({ rooms: summaries.map((summary) => summary.room) }, 200);
  })
  .openapi(createRoom, async (c) => {
    const { name, kind, topic } = c.req.valid("json");
    const db = database(c.env.DB);
    const now = new Date();
    const room = {
      id: crypto.randomUUID(),
      kind,
      name,
      topic: topic ?? "",
      createdAt: now,
      lastActivityAt: now,
    };
    await db.batch([
      db.insert(rooms).values(room),
      db.insert(memberships).values({ roomId: room.id, userId: c.var.user.id, role: "owner", joinedAt: now }),
    ]);
    await pushRoomSummaries(c.env, room.id, "room_added", [c.var.user.id]);
    const [row] = await db.select().from(rooms).where(eq(rooms.id, room.id));
    if (!row) throw notFound("No such room.");
    return c.json(await roomDetail(db, row, "owner"), 201);
  })
  .openapi(discover, async (c) => {
    const { q } = c.req.valid("query");
    const db = database(c.env.DB);
    const pattern = `%${(q ?? "").toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const found = await db
      .select({
        id: rooms.id,
        name: rooms.name,
        topic: rooms.topic,
        lastActivityAt: rooms.lastActivityAt,
        memberCount: sql<number>`(SELECT count(*) FROM ${memberships} WHERE ${memberships.roomId} = ${rooms.id})`,
      })
      .from(rooms)
      .where(
        and(
          eq(rooms.kind, "public"),
          sql`lower(${rooms.name}) LIKE ${pattern} ESCAPE '\\'`,
          notExists(
            db
              .select({ one: sql`1` })
              .from(memberships)
              .where(and(eq(memberships.roomId, rooms.id), eq(memberships.userId, c.var.user.id))),
          ),
        ),
      )
      .orderBy(desc(rooms.lastActivityAt))
      .limit(50);
    return c.json(
      { rooms: found.map((room) => ({ ...room, lastActivityAt: room.lastActivityAt.toISOString() })) },
      200,
    );
  })
  .openapi(openDirect, async (c) => {
    const { userId: peerId } = c.req.valid("json");
    const me = c.var.user.id;
    if (peerId === me) throw invalidRequest("userId: a direct room needs someone other than you");
    const db = database(c.env.DB);
    const [peer] = await db.select({ id: users.id }).from(users).where(eq(users.id, peerId));
    if (!peer) throw notFound("No such user.");
    const { key, id, pair } = await directRoomKey(me, peerId);
    const now = new Date();
    // Every statement is idempotent and the id is derived from the pair, so two people opening the
    // room at the same moment converge on one room; the unique direct_key backs that up.
    const [created] = await db.batch([
      db
        .insert(rooms)
        .values({
          id,
          kind: "direct",
          name: "",
          directKey: key,
          userA: pair[0],
          userB: pair[1],
          createdAt: now,
          lastActivityAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: rooms.id }),
      db
        .insert(memberships)
        .values({ roomId: id, userId: me, role: "member", joinedAt: now })
        .onConflictDoNothing(),
      db
        .insert(memberships)
        .values({ roomId: id, userId: peerId, role: "member", joinedAt: now })
        .onConflictDoNothing(),
    ]);
    const isNew = created.length > 0;
    if (isNew) await pushRoomSummaries(c.env, id, "room_added", [me, peerId]);
    const access = await roomAccess(db, id, me);
    const detail = await roomDetail(db, access.room, access.role);
    return isNew ? c.json(detail, 201) : c.json(detail, 200);
  })
  .openapi(getRoom, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    return c.json(await roomDetail(db, access.room, access.role), 200);
  })
  .openapi(updateRoom, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    requireRole(access, ["owner", "admin"], "change a room");
    if (access.room.kind === "direct") throw forbidden("A direct room has no name or topic to change.");
    const changes = c.req.valid("json");
    if (changes.name !== undefined || changes.topic !== undefined) {
      await db.update(rooms).set(changes).where(eq(rooms.id, access.room.id));
      await pushRoomSummaries(c.env, access.room.id, "room_updated");
    }
    const updated = await roomAccess(db, access.room.id, c.var.user.id);
    return c.json(await roomDetail(db, updated.room, updated.role), 200);
  })
  .openapi(deleteRoom, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    requireRole(access, ["owner"], "delete a room");
    const online = (await membersOf(db, access.room.id)).filter((member) => member.online);
    await db.batch([
      db.delete(memberships).where(eq(memberships.roomId, access.room.id)),
      db.delete(rooms).where(eq(rooms.id, access.room.id)),
    ]);
    await roomObject(c.env, access.room.id).destroy();
    await Promise.all(
      online.map((member) =>
        sendToUser(c.env, member.userId, { type: "room_removed", roomId: access.room.id }),
      ),
    );
    return c.body(null, 204);
  })
  .openapi(joinRoom, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    if (!access.role) {
      // roomAccess already hid private and direct rooms; only public ones get here.
      await db
        .insert(memberships)
        .values({ roomId: access.room.id, userId: c.var.user.id, role: "member", joinedAt: new Date() })
        .onConflictDoNothing();
      await pushRoomSummaries(c.env, access.room.id, "room_added", [c.var.user.id]);
    }
    return c.json(await roomDetail(db, access.room, access.role ?? "member"), 200);
  })
  .openapi(leaveRoom, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    const caller = asMember(access);
    const mine = and(eq(memberships.roomId, caller.roomId), eq(memberships.userId, caller.userId));
    const successor = caller.role === "owner" ? await successorOf(db, caller.roomId, caller.userId) : null;
    if (successor) {
      await db.batch([
        db.delete(memberships).where(mine),
        db
          .update(memberships)
          .set({ role: "owner" })
          .where(and(eq(memberships.roomId, caller.roomId), eq(memberships.userId, successor))),
      ]);
    } else {
      await db.delete(memberships).where(mine);
    }
    await roomObject(c.env, caller.roomId).disconnectMember(caller.userId, "You left this room.");
    await sendToUser(c.env, caller.userId, { type: "room_removed", roomId: caller.roomId });
    return c.body(null, 204);
  })
  .openapi(addMember, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    const caller = requireRole(access, ["owner", "admin"], "add members");
    if (access.room.kind === "direct") throw forbidden("A direct room is for exactly two people.");
    const { userId, role = "member" } = c.req.valid("json");
    if (role === "admin" && caller.role !== "owner") throw forbidden("Only the owner can add an admin.");
    const [user] = await db.select().from(users).where(eq(users.id, userId));
    if (!user) throw notFound("No such user.");
    const [added] = await db
      .insert(memberships)
      .values({ roomId: caller.roomId, userId, role, joinedAt: new Date() })
      .onConflictDoNothing()
      .returning({ userId: memberships.userId });
    if (!added) throw conflict("That user is already a member of this room.");
    await pushRoomSummaries(c.env, caller.roomId, "room_added", [userId]);
    return c.json(
      { userId, username: user.username, displayName: user.displayName, role, online: user.online },
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
    await roomObject(c.env, roomId).disconnectMember(userId);
    await sendToUser(c.env, userId, { type: "room_removed", roomId });
    return c.body(null, 204);
  });
