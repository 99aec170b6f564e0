import type { Reply } from "../../scripts/api-call.ts";
import { pool } from "../../scripts/pool.ts";
import type { Message } from "../../worker/protocol/messages.ts";
import type { RoomSummary } from "../../worker/protocol/rooms.ts";
import type { RoomDetail } from "../../worker/rooms/schemas.ts";

// The fixtures every suite needs (people signed up, rooms with a cast, messages sent), in one place,
// over whatever calls the API: SELF.fetch inside workerd (test/worker/helpers.ts), fetch to a real
// `wrangler dev` in Node (test/shared/node-client.ts). Each fixture fails loudly, with the answer it
// got, unless the API did what the test builds on.

export type { Reply } from "../../scripts/api-call.ts";

/** One JSON call, as curl would make it: a bearer token and a JSON body, both optional. */
export type ApiCall = (
  method: string,
  path: string,
  options?: { token?: string; body?: unknown },
) => Promise<Reply<unknown>>;

export type SignedIn = {
  user: { id: string; username: string; displayName: string; bio: string; createdAt: string };
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
};

export type Page = { messages: Message[]; hasMore: boolean };

export type Cast = {
  room: RoomDetail;
  owner: SignedIn;
  admin: SignedIn;
  member: SignedIn;
  outsider: SignedIn;
};

export const PASSWORD = "correct horse battery";

let counter = 0;

/** A username no other test uses, so tests never depend on each other's rows. */
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}_${counter}_${crypto.randomUUID().slice(0, 8)}`;
}

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** Asserts the API.md error shape and returns it for further checks. */
export function errorOf(response: Reply<unknown>): ErrorBody["error"] {
  const body = response.body as ErrorBody;
  if (!body?.error || typeof body.error.code !== "string" || typeof body.error.message !== "string") {
    throw new Error(`not an API error: ${JSON.stringify(response.body)}`);
  }
  return body.error;
}

/** The fixtures, calling the API through `call`. */
export function fixtures(call: ApiCall) {
  /** The body of an answer with the expected status; anything else fails the test, saying why. */
  async function expectStatus<T>(status: number, what: string, reply: Promise<Reply<unknown>>): Promise<T> {
    const answer = await reply;
    if (answer.status !== status)
      throw new Error(`${what} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as T;
  }

  function signUp(username = uniqueName(), password = PASSWORD): Promise<SignedIn> {
    return expectStatus(201, "sign-up", call("POST", "/api/auth/register", { body: { username, password } }));
  }

  /** Creates a room owned by the caller; fails the test unless it is 201. */
  function createRoom(
    token: string,
    options: { name?: string; kind?: "public" | "private"; topic?: string } = {},
  ): Promise<RoomDetail> {
    const body = {
      name: options.name ?? uniqueName("room"),
      kind: options.kind ?? "public",
      topic: options.topic,
    };
    return expectStatus(201, "create room", call("POST", "/api/rooms", { token, body }));
  }

  /** The owner (or an admin) adds someone; fails the test unless it is 201. */
  function addMember(token: string, roomId: string, userId: string, role?: "admin" | "member") {
    const body = { userId, role };
    return expectStatus<Record<string, unknown>>(
      201,
      "add member",
      call("POST", `/api/rooms/${roomId}/members`, { token, body }),
    );
  }

  /** A public room created by `owner` and joined by everyone in `others`. */
  async function publicRoom(owner: SignedIn, others: SignedIn[]): Promise<RoomDetail> {
    const room = await createRoom(owner.accessToken, { kind: "public" });
    await pool(others, 8, (person) =>
      expectStatus(200, "join", call("POST", `/api/rooms/${room.id}/join`, { token: person.accessToken })),
    );
    return room;
  }

  /** A private room of two: its owner and one member. */
  async function privatePair() {
    const [owner, member] = await Promise.all([signUp(), signUp()]);
    const room = await createRoom(owner.accessToken, { kind: "private" });
    await addMember(owner.accessToken, room.id, member.user.id);
    return { room, owner, member };
  }

  /** A fresh room with one person in each role, plus someone who is not in it. */
  async function roomWithCast(kind: "public" | "private" = "private"): Promise<Cast> {
    const [owner, admin, member, outsider] = await Promise.all([signUp(), signUp(), signUp(), signUp()]);
    const room = await createRoom(owner.accessToken, { kind });
    await addMember(owner.accessToken, room.id, admin.user.id, "admin");
    await addMember(owner.accessToken, room.id, member.user.id);
    return { room, owner, admin, member, outsider };
  }

  /** Sends a message over REST; fails the test unless it is stored (201). */
  function send(token: string, roomId: string, body: string, clientId?: string): Promise<Message> {
    return expectStatus(
      201,
      "send",
      call("POST", `/api/rooms/${roomId}/messages`, { token, body: { body, clientId } }),
    );
  }

  /** One page of a room's history (`query` as in the URL, e.g. "?before=51&limit=50"). */
  function history(token: string, roomId: string, query = ""): Promise<Page> {
    return expectStatus(200, "history", call("GET", `/api/rooms/${roomId}/messages${query}`, { token }));
  }

  /** Every message of a room, in seq order, read through the REST API page by page. */
  async function fullHistory(token: string, roomId: string): Promise<Message[]> {
    const all: Message[] = [];
    for (;;) {
      const page = await history(token, roomId, `?after=${all.at(-1)?.seq ?? 0}&limit=100`);
      all.push(...page.messages);
      if (!page.hasMore) return all;
    }
  }

  async function myRooms(token: string): Promise<RoomSummary[]> {
    const list = await expectStatus<{ rooms: RoomSummary[] }>(
      200,
      "room list",
      call("GET", "/api/rooms", { token }),
    );
    return list.rooms;
  }

  return {
    signUp,
    createRoom,
    addMember,
    publicRoom,
    privatePair,
    roomWithCast,
    send,
    history,
    fullHistory,
    myRooms,
  };
}
