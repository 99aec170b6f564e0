import { createRoute } from "@hono/zod-openapi";
import { database } from "../db/client";
import { bearerSecurity, errorResponses, jsonResponse } from "../http/openapi";
import { signedInRoutes } from "../http/routers";
import { limit } from "../limits/limit";
import { roomObject, unwrap } from "./access";
import { RoomParams } from "./schemas";
import {
  readQuery,
  SEARCH_CONCURRENCY,
  SEARCH_DEADLINE_MS,
  SEARCH_ROOMS,
  searchAcrossRooms,
} from "./search-fan-out";
import { RoomSearchPageSchema, RoomSearchQuery, SearchAllPageSchema, SearchAllQuery } from "./search-schemas";

// Search (API.md "Search"): in one room, by pages with a cursor, and across the caller's rooms.
// The query is parsed here, once (400 says why it is not one); rooms search their own index.

const tags = ["Search"];
const security = bearerSecurity;

const QUERY_RULES = `\`q\`: words (every word must match, the last one also as a prefix), "quoted phrases" and
from:username (any number; alone, it lists that person's messages newest first). Case and
diacritics are folded: \`cafe\` finds "Café". Thread replies are found like any message; deleted
messages never, edited ones by their new text. 400 for an empty query, an unbalanced quote, an
operator other than from: (\`in:general\`), OR/NOT/NEAR, nothing to search for (\`* -\`), or more than
200 characters.

Ranking: bm25, best first, ties newest first. A query that matches more than 1,000 messages of a
room ranks them a thousand at a time, newest thousand first, so that ranking does not grow with the
room; later pages go on into older ones.`;

const searchRoom = createRoute({
  method: "get",
  path: "/{roomId}/search",
  operationId: "searchRoom",
  tags,
  security,
  summary: "Search one room's messages",
  description: `${QUERY_RULES}

Members only (a public room you have not joined: 403; a private one you are not in: 404). Pages are
cut from the room as it was at the first page: messages sent meanwhile never shift later pages.`,
  request: { params: RoomParams, query: RoomSearchQuery },
  middleware: [limit("searchMessages")],
  responses: {
    200: jsonResponse(RoomSearchPageSchema, "The best matches, with snippets, and the next page's cursor."),
    ...errorResponses(400, 401, 403, 404, 429),
  },
});

const searchAll = createRoute({
  method: "get",
  path: "/",
  operationId: "searchAllRooms",
  tags,
  security,
  summary: "Search every room you are in",
  description: `${QUERY_RULES}

Bounded so that it answers within a second even for a member of 500 rooms: it asks your
${SEARCH_ROOMS} most recently active rooms, ${SEARCH_CONCURRENCY} at a time, and leaves out any room that has not
answered ${SEARCH_DEADLINE_MS} ms after the call began. \`partial: true\` says that not every one of your
rooms was searched, and \`roomsSearched\` how many were. No cursor: search one room to page on.
At most 60 searches a minute per person, with the room search (RATE_SEARCH_PER_USER).`,
  request: { query: SearchAllQuery },
  middleware: [limit("searchMessages")],
  responses: {
    200: jsonResponse(SearchAllPageSchema, "The best matches across your rooms, merged by score."),
    ...errorResponses(400, 401, 429),
  },
});

// Two groups, mounted at /api/rooms and /api/search: a signed-in group's authentication applies to
// every path under its mount point, so neither may be mounted at /api itself.
export const roomSearchRoutes = signedInRoutes().openapi(searchRoom, async (c) => {
  const db = database(c.env.DB);
  const { roomId } = c.req.valid("param");
  // The room itself says whether the caller is a member (as for its history): no D1 query for that.
  const visitor = { roomId, userId: c.var.user.id };
  const { q, limit, cursor } = c.req.valid("query");
  const query = { ...(await readQuery(db, q)), limit, cursor: cursor ?? null };
  const page = unwrap(await roomObject(c.env, roomId).search(visitor, query));
  // How long the room itself took (as opposed to auth, D1 and the RPC): devtools show it.
  c.header("Server-Timing", `room;dur=${page.tookMs};desc="search inside the room"`);
  const results = page.results.map(({ message, snippet }) => ({ message, snippet }));
  return c.json({ results, hasMore: page.nextCursor !== null, nextCursor: page.nextCursor }, 200);
});

export const searchRoutes = signedInRoutes().openapi(searchAll, async (c) => {
  const startedAt = Date.now();
  const db = database(c.env.DB);
  const { q, limit } = c.req.valid("query");
  const query = { ...(await readQuery(db, q)), limit, cursor: null };
  return c.json(await searchAcrossRooms(c.env, db, c.var.user.id, query, startedAt), 200);
});
