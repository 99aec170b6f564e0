import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { database } from "../db/client";
import { blocks, rooms, users } from "../db/schema";
import { forbidden } from "../http/errors";
import { bearerSecurity, errorResponses, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { roomObject } from "../rooms/access";
import { directRoomKey, personOf } from "../rooms/room-model";
import { PublicProfileSchema } from "./schemas";
import { publicProfile } from "./user";

// Blocking a person: they cannot open a direct room with you or message you in one (403). If the
// two of you already have a direct room, the room is told, because it refuses their messages itself.

const tags = ["Users"];
const security = bearerSecurity;
const UserParams = z.object({
  userId: z
    .string()
    .min(1)
    .openapi({ param: { name: "userId", in: "path" } }),
});

const block = createRoute({
  operationId: "blockUser",
  method: "post",
  path: "/{userId}/block",
  tags,
  security,
  summary: "Block someone",
  description: "They can no longer open a direct room with you or message you in one (403). Idempotent.",
  request: { params: UserParams },
  responses: { 204: { description: "Blocked." }, ...errorResponses(401, 403, 404) },
});

const unblock = createRoute({
  operationId: "unblockUser",
  method: "delete",
  path: "/{userId}/block",
  tags,
  security,
  summary: "Unblock someone",
  request: { params: UserParams },
  responses: { 204: { description: "Unblocked (or was not blocked)." }, ...errorResponses(401) },
});

const listBlocks = createRoute({
  operationId: "listBlockedUsers",
  method: "get",
  path: "/me/blocks",
  tags,
  security,
  summary: "The people you blocked",
  responses: {
    200: jsonResponse(
      z.object({ users: PublicProfileSchema.array() }).openapi("BlockList", {
        example: {
          users: [
            {
              id: "3f0c9a1e-5b7d-4c1a-9e43-0d2b6f1a7c55",
              username: "mallory",
              displayName: "Mallory",
              bio: "",
              online: false,
              lastSeenAt: null,
              avatarUrl: null,
            },
          ],
        },
      }),
      "People you blocked.",
    ),
    ...errorResponses(401),
  },
});

/** Tells the direct room of the two (if there is one) that one of them blocked or unblocked the other. */
async function tellDirectRoom(env: Env, blockerId: string, blockedId: string, on: boolean): Promise<void> {
  const { id } = await directRoomKey(blockerId, blockedId);
  const [room] = await database(env.DB).select({ id: rooms.id }).from(rooms).where(eq(rooms.id, id));
  if (!room) return;
  const caller = { roomId: id, userId: blockerId, role: "member" as const };
  await roomObject(env, id).moderate(caller, { kind: "block", blockerId, blockedId, on });
}

export const blockRoutes = signedInRoutes()
  .openapi(listBlocks, async (c) => {
    const found = await database(c.env.DB)
      .select({ user: users })
      .from(blocks)
      .innerJoin(users, eq(users.id, blocks.blockedId))
      .where(eq(blocks.blockerId, c.var.user.id))
      .orderBy(asc(users.usernameKey));
    return c.json({ users: found.map((row) => publicProfile(row.user)) }, 200);
  })
  .openapi(block, async (c) => {
    const { userId } = c.req.valid("param");
    if (userId === c.var.user.id) throw forbidden("You cannot block yourself.");
    const db = database(c.env.DB);
    await personOf(db, userId);
    await db
      .insert(blocks)
      .values({ blockerId: c.var.user.id, blockedId: userId, createdAt: new Date() })
      .onConflictDoNothing();
    await tellDirectRoom(c.env, c.var.user.id, userId, true);
    return c.body(null, 204);
  })
  .openapi(unblock, async (c) => {
    const { userId } = c.req.valid("param");
    await database(c.env.DB)
      .delete(blocks)
      .where(and(eq(blocks.blockerId, c.var.user.id), eq(blocks.blockedId, userId)));
    await tellDirectRoom(c.env, c.var.user.id, userId, false);
    return c.body(null, 204);
  });
