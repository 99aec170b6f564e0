import { createRoute } from "@hono/zod-openapi";
import { and, eq, isNull, or } from "drizzle-orm";
import { database } from "../db/client";
import { blocks, memberships, rooms, users } from "../db/schema";
import { forbidden, invalidRequest, notFound } from "../http/errors";
import { bearerSecurity, errorResponses, jsonBody, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { limit } from "../limits/limit";
import { pushRoomSummaries } from "../room-list/live";
import { roomAccess, roomObject } from "./access";
import { announceMember, memberInfo } from "./member-events";
import { directRoomKey, personOf, roomDetail } from "./room-model";
import { DirectRoomBody, RoomDetailSchema } from "./schemas";

// One-to-one rooms: exactly two people, one room per pair, whoever opens it first.

const openDirect = createRoute({
  method: "post",
  path: "/direct",
  operationId: "openDirectRoom",
  tags: ["Rooms"],
  security: bearerSecurity,
  summary: "Open the direct room with someone",
  description:
    "One room per pair, whoever opens it first: 201 the first time, 200 after, from either side. At most 60 opens per person per 10 minutes (RATE_DIRECT_ROOM_PER_USER).",
  middleware: [limit("openDirect")],
  request: jsonBody(DirectRoomBody),
  responses: {
    200: jsonResponse(RoomDetailSchema, "The existing direct room."),
    201: jsonResponse(RoomDetailSchema, "The direct room, just created."),
    ...errorResponses(400, 401, 404, 413, 415, 429),
  },
});

export const directRoutes = signedInRoutes().openapi(openDirect, async (c) => {
  const { userId: peerId } = c.req.valid("json");
  const me = c.var.user.id;
  if (peerId === me) throw invalidRequest("userId: a direct room needs someone other than you");
  const db = database(c.env.DB);
  const [peer] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, peerId), isNull(users.deletedAt)));
  if (!peer) throw notFound("No such user.");
  const between = await db
    .select({ blockerId: blocks.blockerId, blockedId: blocks.blockedId })
    .from(blocks)
    .where(
      or(
        and(eq(blocks.blockerId, peerId), eq(blocks.blockedId, me)),
        and(eq(blocks.blockerId, me), eq(blocks.blockedId, peerId)),
      ),
    );
  if (between.some((row) => row.blockerId === peerId)) throw forbidden("You cannot message this person.");
  const { key, id, pair } = await directRoomKey(me, peerId);
  const now = new Date();
  // Every statement is idempotent and the id is derived from the pair, so two people opening the
  // room at the same moment converge on one room; the unique direct_key backs that up. The peer is
  // made a member only when the room is new: someone who left is not pulled back in by the other's
  // open; they get the room back when they open it themselves.
  const [existing] = await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.id, id));
  const joinMe = db
    .insert(memberships)
    .values({ roomId: id, userId: me, role: "member", joinedAt: now })
    .onConflictDoNothing()
    .returning({ userId: memberships.userId });
  let isNew = false;
  if (existing) {
    // Back in a room they had left: the room (which answers who is a member) hears of it.
    const [rejoined] = await joinMe;
    if (rejoined) await announceMember(c.env, id, memberInfo(await personOf(db, me), "member"), "joined");
  } else {
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
      joinMe,
      db
        .insert(memberships)
        .values({ roomId: id, userId: peerId, role: "member", joinedAt: now })
        .onConflictDoNothing(),
    ]);
    isNew = created.length > 0;
  }
  if (isNew) {
    // A block made before the room existed: the room refuses the blocked one's messages itself.
    const caller = { roomId: id, userId: me, role: "member" as const };
    for (const row of between)
      await roomObject(c.env, id).moderate(caller, { kind: "block", ...row, on: true });
    await pushRoomSummaries(c.env, id, "room_added", [me, peerId]);
  }
  const access = await roomAccess(db, id, me);
  const detail = await roomDetail(db, access.room, access.role);
  return isNew ? c.json(detail, 201) : c.json(detail, 200);
});
