import { answer } from "./answers";
import { api, roomParam } from "./client";

// Search (API.md "Search"): across your rooms (merged, bounded, no cursor) or in one room (by pages).

export function searchAllRooms(q: string, limit = 30) {
  return answer(api.search.$get({ query: { q, limit } }));
}

export function searchOneRoom(roomId: string, q: string, cursor: string | null, limit = 30) {
  const query = cursor ? { q, limit, cursor } : { q, limit };
  return answer(api.rooms[":roomId"].search.$get({ param: roomParam(roomId), query }));
}

export type SearchAllAnswer = Awaited<ReturnType<typeof searchAllRooms>>;
export type RoomSearchAnswer = Awaited<ReturnType<typeof searchOneRoom>>;
