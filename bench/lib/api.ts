// Setting Hubbub up the way a client would: users sign up, create public rooms and join them,
// all through the public API (the bench never writes to a database directly).

import { callApi } from "../../scripts/api-call.ts";
import { pool } from "../../scripts/pool.ts";

export type BenchUser = { id: string; username: string; token: string };

/** Bench calls go through the same client as the tests and the seed script. */
export const api = <T = unknown>(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
) => callApi<T>(base, method, path, options);

async function expectOk<T>(reply: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const { status, body } = await reply;
  if (status >= 300) throw new Error(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  return body;
}

export async function registerUsers(base: string, prefix: string, count: number): Promise<BenchUser[]> {
  const indexes = Array.from({ length: count }, (_, index) => index);
  return pool(indexes, 8, async (index) => {
    const username = `${prefix}_${index}`;
    const body = await expectOk(
      api<{ user: { id: string }; accessToken: string }>(base, "POST", "/api/auth/register", {
        body: { username, password: "correct horse battery staple" },
      }),
      `register ${username}`,
    );
    return { id: body.user.id, username, token: body.accessToken };
  });
}

/**
 * A fresh access token for a bench user: a full run lasts longer than an access token (15 min), so
 * calls made late in the run (the D1 counter's marker) sign in again rather than use the first token.
 */
export async function freshToken(base: string, user: BenchUser): Promise<string> {
  const body = await expectOk(
    api<{ accessToken: string }>(base, "POST", "/api/auth/login", {
      body: { username: user.username, password: "correct horse battery staple" },
    }),
    `login ${user.username}`,
  );
  return body.accessToken;
}

/** A public room made by `members[0]`, joined by the others. */
export async function createRoom(base: string, name: string, members: BenchUser[]): Promise<string> {
  const [owner, ...others] = members;
  if (!owner) throw new Error("a room needs a member");
  const room = await expectOk(
    api<{ id: string }>(base, "POST", "/api/rooms", {
      token: owner.token,
      body: { name, kind: "public" },
    }),
    `create room ${name}`,
  );
  for (const member of others) {
    await expectOk(api(base, "POST", `/api/rooms/${room.id}/join`, { token: member.token }), "join");
  }
  return room.id;
}

/** `count` rooms of `size` distinct members each, taken in turn from `users`. */
export async function createRooms(
  base: string,
  prefix: string,
  count: number,
  size: number,
  users: BenchUser[],
): Promise<{ id: string; members: BenchUser[] }[]> {
  if (size > users.length) throw new Error(`rooms of ${size} need at least ${size} users`);
  const indexes = Array.from({ length: count }, (_, index) => index);
  return pool(indexes, 8, async (index) => {
    const members = Array.from(
      { length: size },
      (_, slot) => users[(index * size + slot) % users.length] as BenchUser,
    );
    return { id: await createRoom(base, `${prefix}-${index}`, members), members };
  });
}
