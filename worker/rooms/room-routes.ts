import { createRoute } from "@hono/zod-openapi";
import { and, desc, eq, gt, isNull, notExists, or, sql } from "drizzle-orm";
import { database } from "../db/client";
import { memberships, roomBans, rooms } from "../db/schema";
import { forbidden, notFound } from "../http/errors";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { limit } from "../limits/limit";
import { pushRoomSummaries } from "../room-list/live";
import { roomSummaries } from "../room-list/summaries";
import { asMember, requireRole, roomAccess, roomObject } from "./access";
import { endRoom } from "./room-ends";
import { roomDetail } from "./room-model";
import {
  CreateRoomBody,
  DiscoverListSchema,
  DiscoverQuery,
  RoomDetailSchema,
  RoomListSchema,
  RoomParams,
  UpdateRoomBody,
} from "./schemas";

// Rooms themselves: your room list, creating, finding, reading, renaming and deleting a room.

const tags = ["Rooms"];
const namesNote = `Names and topics may not contain control, invisible format (zero-width) or
bidirectional-override characters; a name, and a topic that is not empty, must contain a letter or a digit.`;
const security = bearerSecurity;

const listRooms = createRoute({
  method: "get",
  path: "/",
  operationId: "listRooms",
  tags,
  security,
  summary: "Your rooms, most recently active first",
  description: "Each with unread count, read marker, last-message preview and, for a direct room, the peer.",
  responses: { 200: jsonResponse(RoomListSchema, "Your rooms."), ...errorResponses(401) },
});

const createRoom = createRoute({
  method: "post",
  path: "/",
  operationId: "createRoom",
  tags,
  security,
  summary: "Create a public or private room; you are its owner",
  description: `${namesNote} At most 20 rooms per person per hour (RATE_CREATE_ROOM_PER_USER).`,
  middleware: [limit("createRoom")],
  request: jsonBody(CreateRoomBody),
  responses: {
    201: jsonResponse(RoomDetailSchema, "The new room."),
    ...errorResponses(400, 401, 413, 415, 429),
  },
});

const discover = createRoute({
  method: "get",
  path: "/discover",
  operationId: "discoverRooms",
  tags,
  security,
  summary: "Public rooms you can join",
  description:
    "Rooms you are not in, matching `q` anywhere in the name (case-insensitive), most active first. At most 60 searches per minute (RATE_DISCOVER_PER_USER).",
  middleware: [limit("discoverRooms")],
  request: { query: DiscoverQuery },
  responses: { 200: jsonResponse(DiscoverListSchema, "Joinable rooms."), ...errorResponses(400, 401, 429) },
});

const getRoom = createRoute({
  method: "get",
  path: "/{roomId}",
  operationId: "getRoom",
  tags,
  security,
  summary: "A room with its members",
  request: { params: RoomParams },
  responses: { 200: jsonResponse(RoomDetailSchema, "The room."), ...errorResponses(401, 404) },
});

const updateRoom = createRoute({
  method: "patch",
  path: "/{roomId}",
  operationId: "updateRoom",
  middleware: [limit("edit")],
  tags,
  security,
  summary: "Rename a room or change its topic (owner or admin)",
  description: namesNote,
  request: { params: RoomParams, ...jsonBody(UpdateRoomBody) },
  responses: {
    200: jsonResponse(RoomDetailSchema, "The room."),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429),
  },
});

const deleteRoom = createRoute({
  method: "delete",
  path: "/{roomId}",
  operationId: "deleteRoom",
  tags,
  security,
  summary: "Delete a room (owner)",
  description: "Members' open sockets to the room are closed with code 4004.",
  request: { params: RoomParams },
  responses: { 204: { description: "Deleted." }, ...errorResponses(401, 403, 404) },
});

export const roomRoutes = signedInRoutes()
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
    const pattern = `%${(q ?? "").toLowerCase().replace(/[\\%_]/g, (char: string) => `\\${char}`)}%`;
    const found = await db
      .select({
        id: rooms.id,
        kind: rooms.kind,
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
          // A room you are banned from is not one you can join.
          notExists(
            db
              .select({ one: sql`1` })
              .from(roomBans)
              .where(
                and(
                  eq(roomBans.roomId, rooms.id),
                  eq(roomBans.userId, c.var.user.id),
                  or(isNull(roomBans.until), gt(roomBans.until, new Date())),
                ),
              ),
          ),
        ),
      )
      .orderBy(desc(rooms.lastActivityAt))
      .limit(50);
    const listed = found.map((room) => ({
      ...room,
      kind: "public" as const,
      lastActivityAt: room.lastActivityAt.toISOString(),
    }));
    return c.json({ rooms: listed }, 200);
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
      await roomObject(c.env, access.room.id).moderate(asMember(access), { kind: "renamed", changes });
      await pushRoomSummaries(c.env, access.room.id, "room_updated");
    }
    const updated = await roomAccess(db, access.room.id, c.var.user.id);
    return c.json(await roomDetail(db, updated.room, updated.role), 200);
  })
  .openapi(deleteRoom, async (c) => {
    const db = database(c.env.DB);
    const access = await roomAccess(db, c.req.valid("param").roomId, c.var.user.id);
    requireRole(access, ["owner"], "delete a room");
    await endRoom(c.env, db, access.room.id);
    return c.body(null, 204);
  });
