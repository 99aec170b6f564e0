import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { RoomConcerns } from "../../worker/room-object/concerns";
import type { Room } from "../../worker/room-object/room";
import {
  addMember,
  api,
  type Cast,
  createRoom,
  errorOf,
  eventually,
  type Member,
  myRooms,
  type RoomDetail,
  type RoomSummary,
  roomStub,
  roomWithCast,
  type SignedIn,
  send,
  signUp,
  uniqueName,
  upgrade,
} from "./helpers";

type Discovered = {
  id: string;
  kind: string;
  name: string;
  topic: string;
  memberCount: number;
  lastActivityAt: string;
};

function roleOf(room: RoomDetail, userId: string) {
  return room.members.find((member: Member) => member.userId === userId)?.role ?? null;
}

async function getRoom(token: string, roomId: string) {
  return api<RoomDetail>("GET", `/api/rooms/${roomId}`, { token });
}

async function openDirect(token: string, userId: string) {
  return api<RoomDetail>("POST", "/api/rooms/direct", { token, body: { userId } });
}

describe("creating a room", () => {
  it("creates a public room whose creator is its owner", async () => {
    const { accessToken: token, user } = await signUp();
    const name = uniqueName("General");
    const response = await api<RoomDetail>("POST", "/api/rooms", { token, body: { name, kind: "public" } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ kind: "public", name, topic: "", role: "owner" });
    expect(response.body.id).toEqual(expect.any(String));
    expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
    expect(response.body.members).toEqual([
      {
        userId: user.id,
        username: user.username,
        displayName: user.displayName,
        role: "owner",
        online: false,
        avatarUrl: null,
      },
    ]);
    const fetched = await getRoom(token, response.body.id);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(response.body);
  });

  it("creates a private room with a topic", async () => {
    const { accessToken: token } = await signUp();
    const response = await api<RoomDetail>("POST", "/api/rooms", {
      token,
      body: { name: "Secret plans", kind: "private", topic: "shh" },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      kind: "private",
      name: "Secret plans",
      topic: "shh",
      role: "owner",
    });
  });

  it.each([
    ["a direct kind", { name: "x", kind: "direct" }, /^kind:/],
    ["an unknown kind", { name: "x", kind: "secret" }, /^kind:/],
    ["a blank name", { name: "   ", kind: "public" }, /^name:/],
    ["a missing name", { kind: "public" }, /^name:/],
    ["a name over 80 characters", { name: "n".repeat(81), kind: "public" }, /^name:/],
  ])("refuses %s with 400 naming the field", async (_label, body, field) => {
    const { accessToken: token } = await signUp();
    const response = await api("POST", "/api/rooms", { token, body });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("invalid_request");
    expect(errorOf(response).message).toMatch(field);
    expect(await myRooms(token)).toEqual([]);
  });

  it("needs a signed-in caller for every room call", async () => {
    const { accessToken: token } = await signUp();
    const room = await createRoom(token);
    for (const [method, path] of [
      ["GET", "/api/rooms"],
      ["POST", "/api/rooms"],
      ["GET", `/api/rooms/${room.id}`],
      ["GET", `/api/rooms/${room.id}/messages`],
      ["POST", `/api/rooms/${room.id}/join`],
    ] as const) {
      const response = await api(method, path, { body: method === "POST" ? {} : undefined });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(errorOf(response).code).toBe("unauthorized");
    }
  });
});

describe("the room list", () => {
  it("starts a new room with nothing unread and no last message", async () => {
    const { accessToken: token } = await signUp();
    const room = await createRoom(token, { kind: "private", topic: "t" });
    expect(await myRooms(token)).toEqual([
      expect.objectContaining({
        id: room.id,
        kind: "private",
        name: room.name,
        topic: "t",
        role: "owner",
        unreadCount: 0,
        lastReadSeq: 0,
        lastMessage: null,
      }),
    ]);
  });

  it("puts the most recently active room first, with unread count, read marker and a preview", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const quiet = await createRoom(alice.accessToken, { kind: "private" });
    const busy = await createRoom(alice.accessToken, { kind: "private" });
    const newest = await createRoom(alice.accessToken, { kind: "private" });
    for (const room of [quiet, busy, newest]) await addMember(alice.accessToken, room.id, bob.user.id);
    // `busy` was created before `newest`, but a message makes it the most recently active.
    await send(alice.accessToken, busy.id, "first");
    await send(alice.accessToken, busy.id, "second");
    const third = await send(alice.accessToken, busy.id, "third");
    const read = await api("POST", `/api/rooms/${busy.id}/read`, {
      token: bob.accessToken,
      body: { seq: 1 },
    });
    expect(read.status).toBe(204);

    const bobsRooms = await eventually(
      async () => {
        const rooms = await myRooms(bob.accessToken);
        expect(rooms.map((room) => room.id)).toEqual([busy.id, newest.id, quiet.id]);
        expect(rooms[0]?.lastReadSeq).toBe(1);
        return rooms;
      },
      { roomId: busy.id },
    );
    expect(bobsRooms[0]).toMatchObject({
      id: busy.id,
      role: "member",
      unreadCount: 2,
      lastReadSeq: 1,
      lastMessage: { seq: 3, userId: alice.user.id, body: "third", createdAt: third.createdAt },
    });
    expect(bobsRooms[1]).toMatchObject({ unreadCount: 0, lastMessage: null });
    expect(bobsRooms.every((room) => room.peer === undefined)).toBe(true);

    // What you sent yourself is not unread.
    const alicesBusy = (await myRooms(alice.accessToken)).find((room) => room.id === busy.id);
    expect(alicesBusy).toMatchObject({ role: "owner", unreadCount: 0, lastReadSeq: 3 });
  });

  it("writes the read markers of many members in one flush, each to its own row, never backwards", async () => {
    const alice = await signUp();
    const readers = [await signUp(), await signUp(), await signUp()];
    const room = await createRoom(alice.accessToken, { kind: "private" });
    for (const reader of readers) await addMember(alice.accessToken, room.id, reader.user.id);
    for (const body of ["one", "two", "three", "four"]) await send(alice.accessToken, room.id, body);
    // One read each before the room's next flush: they all travel in it.
    for (const [index, reader] of readers.entries()) {
      const read = await api("POST", `/api/rooms/${room.id}/read`, {
        token: reader.accessToken,
        body: { seq: index + 1 },
      });
      expect(read.status).toBe(204);
    }
    const rowOf = async (reader: SignedIn) =>
      (await myRooms(reader.accessToken)).find((summary) => summary.id === room.id);
    await eventually(
      async () => {
        for (const [index, reader] of readers.entries())
          expect(await rowOf(reader)).toMatchObject({ lastReadSeq: index + 1, unreadCount: 3 - index });
      },
      { roomId: room.id },
    );
    // The room list never shows a marker go back: a row that is ahead (as after two flushes that
    // landed out of order) keeps its marker, and the mention count is still written.
    const [first] = readers as [SignedIn];
    await env.DB.prepare(
      "UPDATE memberships SET last_read_seq = 4, read_main_count = 4 WHERE room_id = ? AND user_id = ?",
    )
      .bind(room.id, first.user.id)
      .run();
    await api("POST", `/api/rooms/${room.id}/read`, { token: first.accessToken, body: { seq: 2 } });
    await send(alice.accessToken, room.id, `@${first.user.username} five`);
    await eventually(
      async () =>
        expect(await rowOf(first)).toMatchObject({ lastReadSeq: 4, unreadCount: 1, mentionCount: 1 }),
      { roomId: room.id },
    );
  });

  it("writes the read markers of more members than one statement carries", async () => {
    const alice = await signUp();
    const room = await createRoom(alice.accessToken, { kind: "private" });
    await send(alice.accessToken, room.id, "hello, everyone");
    const many = 1_100; // three statements of at most 500 members
    const numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)";
    await env.DB.batch([
      env.DB.prepare(
        `${numbers} INSERT INTO users (id, username, username_key, display_name, password_hash, created_at)
         SELECT ?1 || i, 'bulk' || i, ?1 || i, 'Bulk ' || i, 'x', 0 FROM n`,
      ).bind(`${room.id}-`, many),
      env.DB.prepare(
        `${numbers} INSERT INTO memberships (room_id, user_id, role, joined_at) SELECT ?3, ?1 || i, 'member', 0 FROM n`,
      ).bind(`${room.id}-`, many, room.id),
    ]);
    // Each of them reads the message (what a `read` frame does), all before the room's next flush.
    await runInDurableObject(roomStub(room.id), async (object: Room) => {
      const concerns = (object as unknown as { room: RoomConcerns }).room;
      for (let i = 1; i <= many; i++) await concerns.read(`${room.id}-${i}`, 1);
    });
    await eventually(
      async () => {
        const read = await env.DB.prepare(
          "SELECT count(*) AS n FROM memberships WHERE room_id = ? AND last_read_seq = 1 AND read_main_count = 1",
        )
          .bind(room.id)
          .first<{ n: number }>();
        expect(read?.n).toBe(many + 1); // and the author's own
      },
      { roomId: room.id },
    );
  });

  it("names the peer of a direct room, on both sides", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const opened = await openDirect(alice.accessToken, bob.user.id);
    await send(alice.accessToken, opened.body.id, "hi Bob");
    const bobsRoom = await eventually(
      async () => {
        const room = (await myRooms(bob.accessToken)).find((item) => item.id === opened.body.id);
        expect(room?.lastMessage?.body).toBe("hi Bob");
        return room as RoomSummary;
      },
      { roomId: opened.body.id },
    );
    expect(bobsRoom).toMatchObject({
      kind: "direct",
      unreadCount: 1,
      peer: { id: alice.user.id, username: alice.user.username, displayName: alice.user.displayName },
    });
    const alicesRoom = (await myRooms(alice.accessToken)).find((item) => item.id === opened.body.id);
    expect(alicesRoom).toMatchObject({
      kind: "direct",
      unreadCount: 0,
      peer: { id: bob.user.id, username: bob.user.username, displayName: bob.user.displayName },
    });
  });

  it("lists only the caller's rooms", async () => {
    const alice = await signUp();
    const bob = await signUp();
    await createRoom(alice.accessToken, { kind: "public" });
    await createRoom(alice.accessToken, { kind: "private" });
    expect(await myRooms(bob.accessToken)).toEqual([]);
  });
});

describe("discovering public rooms", () => {
  it("finds public rooms the caller is not in, matching q anywhere in the name regardless of case", async () => {
    const owner = await signUp();
    const seeker = await signUp();
    const tag = crypto.randomUUID().slice(0, 8);
    const open = await createRoom(owner.accessToken, {
      kind: "public",
      name: `Hiking-${tag}-club`,
      topic: "hills",
    });
    await createRoom(owner.accessToken, { kind: "private", name: `Hiking-${tag}-secret` });
    const joined = await createRoom(owner.accessToken, { kind: "public", name: `Hiking-${tag}-joined` });
    await api("POST", `/api/rooms/${joined.id}/join`, { token: seeker.accessToken });
    await createRoom(owner.accessToken, { kind: "public", name: "Something else entirely" });

    const found = await api<{ rooms: Discovered[] }>(
      "GET",
      `/api/rooms/discover?q=HIKING-${tag.toUpperCase()}`,
      {
        token: seeker.accessToken,
      },
    );
    expect(found.status).toBe(200);
    expect(found.body.rooms).toEqual([
      {
        id: open.id,
        kind: "public",
        name: open.name,
        topic: "hills",
        memberCount: 1,
        lastActivityAt: expect.any(String),
      },
    ]);

    const owners = await api<{ rooms: Discovered[] }>("GET", `/api/rooms/discover?q=${tag}`, {
      token: owner.accessToken,
    });
    expect(owners.body.rooms).toEqual([]);
  });

  it("treats % and _ in q as plain characters", async () => {
    const owner = await signUp();
    const seeker = await signUp();
    const tag = crypto.randomUUID().slice(0, 8);
    await createRoom(owner.accessToken, { kind: "public", name: `pct-${tag}-1000` });
    const literal = await createRoom(owner.accessToken, { kind: "public", name: `pct-${tag}-100%` });
    const found = await api<{ rooms: Discovered[] }>(
      "GET",
      `/api/rooms/discover?q=${encodeURIComponent(`${tag}-100%`)}`,
      { token: seeker.accessToken },
    );
    expect(found.body.rooms.map((room) => room.id)).toEqual([literal.id]);
    const underscore = await api<{ rooms: Discovered[] }>(
      "GET",
      `/api/rooms/discover?q=${encodeURIComponent(`pct_${tag}`)}`,
      { token: seeker.accessToken },
    );
    expect(underscore.body.rooms).toEqual([]);
  });
});

describe("joining", () => {
  it("lets anyone join a public room as a member", async () => {
    const owner = await signUp();
    const joiner = await signUp();
    const room = await createRoom(owner.accessToken, { kind: "public" });
    const joined = await api<RoomDetail>("POST", `/api/rooms/${room.id}/join`, { token: joiner.accessToken });
    expect(joined.status).toBe(200);
    expect(joined.body.role).toBe("member");
    expect(roleOf(joined.body, joiner.user.id)).toBe("member");
    expect((await myRooms(joiner.accessToken)).map((item) => item.id)).toEqual([room.id]);
  });

  it("answers 404 for a private room, and does not add the caller", async () => {
    const { owner, outsider, room } = await roomWithCast("private");
    const response = await api("POST", `/api/rooms/${room.id}/join`, { token: outsider.accessToken });
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe("not_found");
    const detail = await getRoom(owner.accessToken, room.id);
    expect(roleOf(detail.body, outsider.user.id)).toBeNull();
  });

  it("answers 200 to someone already in the room, keeping their role", async () => {
    const { owner, admin, room } = await roomWithCast("public");
    const again = await api<RoomDetail>("POST", `/api/rooms/${room.id}/join`, { token: owner.accessToken });
    expect(again.status).toBe(200);
    expect(again.body.role).toBe("owner");
    const adminAgain = await api<RoomDetail>("POST", `/api/rooms/${room.id}/join`, {
      token: admin.accessToken,
    });
    expect(adminAgain.body.role).toBe("admin");
    expect(again.body.members).toHaveLength(3);
  });

  it("answers 404 for a room that does not exist", async () => {
    const { accessToken: token } = await signUp();
    const response = await api("POST", "/api/rooms/no-such-room/join", { token });
    expect(response.status).toBe(404);
  });
});

describe("leaving", () => {
  it("removes the member, and a private room disappears for them", async () => {
    const { owner, member, room } = await roomWithCast("private");
    const left = await api("POST", `/api/rooms/${room.id}/leave`, { token: member.accessToken });
    expect(left.status).toBe(204);
    expect(await myRooms(member.accessToken)).toEqual([]);
    expect((await getRoom(member.accessToken, room.id)).status).toBe(404);
    const detail = await getRoom(owner.accessToken, room.id);
    expect(roleOf(detail.body, member.user.id)).toBeNull();
  });

  it("hands an owner's room to an admin, even one who joined after a member", async () => {
    const owner = await signUp();
    const earlyMember = await signUp();
    const lateAdmin = await signUp();
    const room = await createRoom(owner.accessToken, { kind: "private" });
    await addMember(owner.accessToken, room.id, earlyMember.user.id);
    await addMember(owner.accessToken, room.id, lateAdmin.user.id, "admin");
    const left = await api("POST", `/api/rooms/${room.id}/leave`, { token: owner.accessToken });
    expect(left.status).toBe(204);
    const detail = await getRoom(lateAdmin.accessToken, room.id);
    expect(detail.body.role).toBe("owner");
    expect(roleOf(detail.body, earlyMember.user.id)).toBe("member");
    expect(roleOf(detail.body, owner.user.id)).toBeNull();
    // The new owner can do what owners do.
    const removed = await api("DELETE", `/api/rooms/${room.id}`, { token: lateAdmin.accessToken });
    expect(removed.status).toBe(204);
  });

  it("hands an owner's room to the longest-standing member when there is no admin", async () => {
    const owner = await signUp();
    const first = await signUp();
    const second = await signUp();
    const room = await createRoom(owner.accessToken, { kind: "public" });
    await addMember(owner.accessToken, room.id, first.user.id);
    await addMember(owner.accessToken, room.id, second.user.id);
    await api("POST", `/api/rooms/${room.id}/leave`, { token: owner.accessToken });
    const detail = await getRoom(second.accessToken, room.id);
    expect(roleOf(detail.body, first.user.id)).toBe("owner");
    expect(roleOf(detail.body, second.user.id)).toBe("member");
  });
});

describe("adding members", () => {
  it("lets the owner add a member and an admin", async () => {
    const { owner, room } = await roomWithCast("private");
    const newcomer = await signUp();
    const added = await api<Member>("POST", `/api/rooms/${room.id}/members`, {
      token: owner.accessToken,
      body: { userId: newcomer.user.id },
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      userId: newcomer.user.id,
      username: newcomer.user.username,
      displayName: newcomer.user.displayName,
      role: "member",
      online: false,
      avatarUrl: null,
    });
    const another = await signUp();
    const admin = await api<Member>("POST", `/api/rooms/${room.id}/members`, {
      token: owner.accessToken,
      body: { userId: another.user.id, role: "admin" },
    });
    expect(admin.status).toBe(201);
    expect(admin.body.role).toBe("admin");
    const seen = await getRoom(newcomer.accessToken, room.id);
    expect(seen.status).toBe(200);
    expect(roleOf(seen.body, another.user.id)).toBe("admin");
  });

  it("lets an admin add members but not admins", async () => {
    const { admin, owner, room } = await roomWithCast("private");
    const newcomer = await signUp();
    const ok = await api("POST", `/api/rooms/${room.id}/members`, {
      token: admin.accessToken,
      body: { userId: newcomer.user.id },
    });
    expect(ok.status).toBe(201);
    const another = await signUp();
    const refused = await api("POST", `/api/rooms/${room.id}/members`, {
      token: admin.accessToken,
      body: { userId: another.user.id, role: "admin" },
    });
    expect(refused.status).toBe(403);
    expect(errorOf(refused).code).toBe("forbidden");
    expect(roleOf((await getRoom(owner.accessToken, room.id)).body, another.user.id)).toBeNull();
  });

  it("answers 409 for someone already in the room, leaving their role alone", async () => {
    const { owner, admin, room } = await roomWithCast("private");
    const again = await api("POST", `/api/rooms/${room.id}/members`, {
      token: owner.accessToken,
      body: { userId: admin.user.id, role: "member" },
    });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe("conflict");
    expect(roleOf((await getRoom(owner.accessToken, room.id)).body, admin.user.id)).toBe("admin");
  });

  it("answers 404 for an unknown user and 400 for an owner role", async () => {
    const { owner, room } = await roomWithCast("private");
    const unknown = await api("POST", `/api/rooms/${room.id}/members`, {
      token: owner.accessToken,
      body: { userId: crypto.randomUUID() },
    });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe("not_found");
    const newcomer = await signUp();
    const asOwner = await api("POST", `/api/rooms/${room.id}/members`, {
      token: owner.accessToken,
      body: { userId: newcomer.user.id, role: "owner" },
    });
    expect(asOwner.status).toBe(400);
    expect(errorOf(asOwner).message).toMatch(/^role:/);
  });
});

describe("removing members", () => {
  it("lets the owner remove an admin, and the room vanishes for them", async () => {
    const { owner, admin, room } = await roomWithCast("private");
    const response = await api("DELETE", `/api/rooms/${room.id}/members/${admin.user.id}`, {
      token: owner.accessToken,
    });
    expect(response.status).toBe(204);
    expect((await getRoom(admin.accessToken, room.id)).status).toBe(404);
    expect(await myRooms(admin.accessToken)).toEqual([]);
  });

  it("lets an admin remove a member but not another admin or the owner", async () => {
    const { owner, admin, member, room } = await roomWithCast("private");
    const otherAdmin = await signUp();
    await addMember(owner.accessToken, room.id, otherAdmin.user.id, "admin");
    for (const target of [otherAdmin, owner]) {
      const refused = await api("DELETE", `/api/rooms/${room.id}/members/${target.user.id}`, {
        token: admin.accessToken,
      });
      expect(refused.status).toBe(403);
      expect(errorOf(refused).code).toBe("forbidden");
    }
    const ok = await api("DELETE", `/api/rooms/${room.id}/members/${member.user.id}`, {
      token: admin.accessToken,
    });
    expect(ok.status).toBe(204);
    const detail = await getRoom(owner.accessToken, room.id);
    expect(detail.body.members.map((m) => [m.userId, m.role]).sort()).toEqual(
      [
        [owner.user.id, "owner"],
        [admin.user.id, "admin"],
        [otherAdmin.user.id, "admin"],
      ].sort(),
    );
  });

  it("does not let a plain member remove anyone", async () => {
    const { owner, admin, member, room } = await roomWithCast("public");
    const other = await signUp();
    await addMember(owner.accessToken, room.id, other.user.id);
    for (const target of [other, admin, owner]) {
      const refused = await api("DELETE", `/api/rooms/${room.id}/members/${target.user.id}`, {
        token: member.accessToken,
      });
      expect(refused.status).toBe(403);
    }
    expect((await getRoom(owner.accessToken, room.id)).body.members).toHaveLength(4);
  });

  it("answers 404 for someone who is not a member", async () => {
    const { owner, outsider, room } = await roomWithCast("private");
    const response = await api("DELETE", `/api/rooms/${room.id}/members/${outsider.user.id}`, {
      token: owner.accessToken,
    });
    expect(response.status).toBe(404);
  });
});

describe("renaming and setting the topic", () => {
  it("lets the owner and admins change name and topic, keeping what is left out", async () => {
    const { owner, admin, member, room } = await roomWithCast("private");
    const renamed = await api<RoomDetail>("PATCH", `/api/rooms/${room.id}`, {
      token: owner.accessToken,
      body: { name: "Renamed" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Renamed", topic: "" });
    const topical = await api<RoomDetail>("PATCH", `/api/rooms/${room.id}`, {
      token: admin.accessToken,
      body: { topic: "New topic" },
    });
    expect(topical.status).toBe(200);
    expect(topical.body).toMatchObject({ name: "Renamed", topic: "New topic" });
    expect((await getRoom(member.accessToken, room.id)).body).toMatchObject({
      name: "Renamed",
      topic: "New topic",
    });
    const listed = (await myRooms(member.accessToken)).find((item) => item.id === room.id);
    expect(listed).toMatchObject({ name: "Renamed", topic: "New topic" });
  });

  it("refuses a plain member (403) and changes nothing", async () => {
    const { owner, member, room } = await roomWithCast("public");
    const response = await api("PATCH", `/api/rooms/${room.id}`, {
      token: member.accessToken,
      body: { name: "Mine now" },
    });
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe("forbidden");
    expect((await getRoom(owner.accessToken, room.id)).body.name).toBe(room.name);
  });

  it("refuses a blank name and a topic over 250 characters", async () => {
    const { owner, room } = await roomWithCast("private");
    const blank = await api("PATCH", `/api/rooms/${room.id}`, {
      token: owner.accessToken,
      body: { name: " " },
    });
    expect(blank.status).toBe(400);
    expect(errorOf(blank).message).toMatch(/^name:/);
    const long = await api("PATCH", `/api/rooms/${room.id}`, {
      token: owner.accessToken,
      body: { topic: "t".repeat(251) },
    });
    expect(long.status).toBe(400);
    expect(errorOf(long).message).toMatch(/^topic:/);
    expect((await getRoom(owner.accessToken, room.id)).body).toMatchObject({ name: room.name, topic: "" });
  });
});

describe("deleting a room", () => {
  it("lets only the owner delete it; afterwards it is gone for everyone", async () => {
    const { owner, admin, member, room } = await roomWithCast("public");
    await send(member.accessToken, room.id, "soon gone");
    const byAdmin = await api("DELETE", `/api/rooms/${room.id}`, { token: admin.accessToken });
    expect(byAdmin.status).toBe(403);
    expect((await getRoom(member.accessToken, room.id)).status).toBe(200);

    const byOwner = await api("DELETE", `/api/rooms/${room.id}`, { token: owner.accessToken });
    expect(byOwner.status).toBe(204);
    for (const person of [owner, admin, member]) {
      expect((await getRoom(person.accessToken, room.id)).status).toBe(404);
      const messages = await api("GET", `/api/rooms/${room.id}/messages`, { token: person.accessToken });
      expect(messages.status).toBe(404);
      expect(await myRooms(person.accessToken)).toEqual([]);
    }
    const again = await api("DELETE", `/api/rooms/${room.id}`, { token: owner.accessToken });
    expect(again.status).toBe(404);
  });
});

describe("direct rooms", () => {
  it("is created the first time (201), then found (200) from either side, with the same id", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const first = await openDirect(alice.accessToken, bob.user.id);
    expect(first.status).toBe(201);
    expect(first.body.kind).toBe("direct");
    expect(first.body.role).toBe("member");
    expect(first.body.members.map((member) => member.userId).sort()).toEqual(
      [alice.user.id, bob.user.id].sort(),
    );
    const again = await openDirect(alice.accessToken, bob.user.id);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const otherSide = await openDirect(bob.accessToken, alice.user.id);
    expect(otherSide.status).toBe(200);
    expect(otherSide.body.id).toBe(first.body.id);
  });

  it("yields exactly one room when both people open it at the same moment", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const [fromAlice, fromBob] = await Promise.all([
      openDirect(alice.accessToken, bob.user.id),
      openDirect(bob.accessToken, alice.user.id),
    ]);
    expect([fromAlice.status, fromBob.status].sort()).toEqual([200, 201]);
    expect(fromAlice.body.id).toBe(fromBob.body.id);
    expect(fromAlice.body.members).toHaveLength(2);
  });

  it("yields exactly one room under many concurrent opens", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const opens = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        index % 2 === 0
          ? openDirect(alice.accessToken, bob.user.id)
          : openDirect(bob.accessToken, alice.user.id),
      ),
    );
    expect(opens.filter((open) => open.status === 201)).toHaveLength(1);
    expect(opens.filter((open) => open.status === 200)).toHaveLength(7);
    expect(new Set(opens.map((open) => open.body.id)).size).toBe(1);
    for (const person of [alice, bob]) {
      const direct = (await myRooms(person.accessToken)).filter((room) => room.kind === "direct");
      expect(direct).toHaveLength(1);
    }
  });

  it("refuses a direct room with yourself (400) and with an unknown user (404)", async () => {
    const alice = await signUp();
    const self = await openDirect(alice.accessToken, alice.user.id);
    expect(self.status).toBe(400);
    expect(errorOf(self).code).toBe("invalid_request");
    const unknown = await openDirect(alice.accessToken, crypto.randomUUID());
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe("not_found");
    expect(await myRooms(alice.accessToken)).toEqual([]);
  });

  it("cannot be renamed or given a third person", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const carol = await signUp();
    const room = (await openDirect(alice.accessToken, bob.user.id)).body;
    const renamed = await api("PATCH", `/api/rooms/${room.id}`, {
      token: alice.accessToken,
      body: { name: "x" },
    });
    expect(renamed.status).toBe(403);
    const added = await api("POST", `/api/rooms/${room.id}/members`, {
      token: alice.accessToken,
      body: { userId: carol.user.id },
    });
    expect(added.status).toBe(403);
    expect((await getRoom(carol.accessToken, room.id)).status).toBe(404);
  });

  it("does not show up in discover", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const carol = await signUp();
    const room = (await openDirect(alice.accessToken, bob.user.id)).body;
    const found = await api<{ rooms: Discovered[] }>("GET", "/api/rooms/discover", {
      token: carol.accessToken,
    });
    expect(found.body.rooms.map((item) => item.id)).not.toContain(room.id);
  });
});

// ── Who may do what ─────────────────────────────────────────────────────────────────────────────

type Who = "owner" | "admin" | "member" | "outsider";
type Kind = "public" | "private" | "direct";
type Outcome = number;

/** A room of the given kind, with the people of each role (a direct room has only its two members). */
type Stage = {
  room: RoomDetail;
  people: Partial<Record<Who, SignedIn>>;
  /** Someone else who is in the room with a plain role, for calls that need a target. */
  target(): Promise<SignedIn>;
  /** A message by the plain member, for calls on someone's message. */
  memberMessage(): Promise<number>;
};

async function stage(kind: Kind): Promise<Stage> {
  if (kind === "direct") {
    const [member, peer, outsider] = await Promise.all([signUp(), signUp(), signUp()]);
    const room = (await openDirect(member.accessToken, peer.user.id)).body;
    return {
      room,
      people: { member, outsider },
      target: async () => peer,
      memberMessage: async () => (await send(member.accessToken, room.id, "from the member")).seq,
    };
  }
  const cast: Cast = await roomWithCast(kind);
  return {
    room: cast.room,
    people: { owner: cast.owner, admin: cast.admin, member: cast.member, outsider: cast.outsider },
    async target() {
      const extra = await signUp();
      await addMember(cast.owner.accessToken, cast.room.id, extra.user.id);
      return extra;
    },
    memberMessage: async () => (await send(cast.member.accessToken, cast.room.id, "from the member")).seq,
  };
}

type Call = {
  name: string;
  run(stage: Stage, caller: SignedIn): Promise<{ status: number; code?: string }>;
  /** The answer by role; an outsider's answer is given per kind. */
  members: Partial<Record<Exclude<Who, "outsider">, Outcome>>;
  publicOutsider: Outcome;
  directMember?: Outcome;
};

function answer(response: { status: number; body: unknown }) {
  const code = (response.body as { error?: { code?: string } } | null)?.error?.code;
  return code ? { status: response.status, code } : { status: response.status };
}

const calls: Call[] = [
  {
    name: "GET /rooms/{id}",
    run: async ({ room }, { accessToken: token }) =>
      answer(await api("GET", `/api/rooms/${room.id}`, { token })),
    members: { owner: 200, admin: 200, member: 200 },
    publicOutsider: 200,
  },
  {
    name: "PATCH /rooms/{id}",
    run: async ({ room }, { accessToken: token }) =>
      answer(await api("PATCH", `/api/rooms/${room.id}`, { token, body: { topic: "changed" } })),
    members: { owner: 200, admin: 200, member: 403 },
    publicOutsider: 403,
    directMember: 403,
  },
  {
    name: "DELETE /rooms/{id}",
    run: async ({ room }, { accessToken: token }) =>
      answer(await api("DELETE", `/api/rooms/${room.id}`, { token })),
    // Runs last for the owner (see the order below), so the others still find the room.
    members: { member: 403, admin: 403, owner: 204 },
    publicOutsider: 403,
    directMember: 403,
  },
  {
    name: "POST /rooms/{id}/join",
    run: async ({ room }, { accessToken: token }) =>
      answer(await api("POST", `/api/rooms/${room.id}/join`, { token })),
    members: { owner: 200, admin: 200, member: 200 },
    publicOutsider: 200,
  },
  {
    name: "POST /rooms/{id}/leave",
    run: async ({ room }, { accessToken: token }) =>
      answer(await api("POST", `/api/rooms/${room.id}/leave`, { token })),
    members: { member: 204, admin: 204, owner: 204 },
    publicOutsider: 403,
  },
  {
    name: "POST /rooms/{id}/members",
    run: async ({ room }, { accessToken: token }) => {
      const newcomer = await signUp();
      return answer(
        await api("POST", `/api/rooms/${room.id}/members`, { token, body: { userId: newcomer.user.id } }),
      );
    },
    members: { owner: 201, admin: 201, member: 403 },
    publicOutsider: 403,
    directMember: 403,
  },
  {
    name: "DELETE /rooms/{id}/members/{userId}",
    run: async (stage, { accessToken: token }) => {
      const target = await stage.target();
      return answer(await api("DELETE", `/api/rooms/${stage.room.id}/members/${target.user.id}`, { token }));
    },
    members: { owner: 204, admin: 204, member: 403 },
    publicOutsider: 403,
    directMember: 403,
  },
  {
    name: "GET /rooms/{id}/messages",
    run: async ({ room }, { accessToken: token }) =>
      answer(await api("GET", `/api/rooms/${room.id}/messages`, { token })),
    members: { owner: 200, admin: 200, member: 200 },
    publicOutsider: 403,
  },
  {
    name: "POST /rooms/{id}/messages",
    run: async ({ room }, { accessToken: token }) =>
      answer(await api("POST", `/api/rooms/${room.id}/messages`, { token, body: { body: "hello" } })),
    members: { owner: 201, admin: 201, member: 201 },
    publicOutsider: 403,
  },
  {
    name: "PATCH /rooms/{id}/messages/{seq} (the member's message)",
    run: async (stage, { accessToken: token }) => {
      const seq = await stage.memberMessage();
      return answer(
        await api("PATCH", `/api/rooms/${stage.room.id}/messages/${seq}`, {
          token,
          body: { body: "edited" },
        }),
      );
    },
    members: { owner: 403, admin: 403, member: 200 },
    publicOutsider: 403,
  },
  {
    name: "DELETE /rooms/{id}/messages/{seq} (the member's message)",
    run: async (stage, { accessToken: token }) => {
      const seq = await stage.memberMessage();
      return answer(await api("DELETE", `/api/rooms/${stage.room.id}/messages/${seq}`, { token }));
    },
    members: { owner: 200, admin: 200, member: 200 },
    publicOutsider: 403,
  },
  {
    name: "POST /rooms/{id}/read",
    run: async ({ room }, { accessToken: token }) =>
      answer(await api("POST", `/api/rooms/${room.id}/read`, { token, body: { seq: 0 } })),
    members: { owner: 204, admin: 204, member: 204 },
    publicOutsider: 403,
  },
  {
    name: "GET /rooms/{id}/ws",
    run: async ({ room }, { accessToken: token }) => {
      const response = await upgrade(`/api/rooms/${room.id}/ws?token=${token}`);
      if (response.webSocket) {
        response.webSocket.accept();
        response.webSocket.close(1000, "done");
        return { status: response.status };
      }
      const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
      return answer({ status: response.status, body });
    },
    members: { owner: 101, admin: 101, member: 101 },
    // API.md, Real time: "a non-member gets 404", even for a public room they could join.
    publicOutsider: 404,
  },
];

/** The order callers act in: destructive calls by the owner come last. */
const order: Who[] = ["outsider", "member", "admin", "owner"];

function expected(call: Call, kind: Kind): Partial<Record<Who, { status: number; code?: string }>> {
  const result: Partial<Record<Who, { status: number; code?: string }>> = {};
  const withCode = (status: number) =>
    status === 403
      ? { status, code: "forbidden" }
      : status === 404
        ? { status, code: "not_found" }
        : { status };
  for (const who of order) {
    if (who === "outsider") {
      result.outsider = withCode(kind === "public" ? call.publicOutsider : 404);
    } else if (kind === "direct") {
      if (who === "member") result.member = withCode(call.directMember ?? call.members.member ?? 0);
    } else {
      result[who] = withCode(call.members[who] ?? 0);
    }
  }
  return result;
}

describe("who may do what", () => {
  const cases = calls.flatMap((call) =>
    (["private", "public", "direct"] as const).map((kind) => ({ name: call.name, kind, call })),
  );

  it.each(cases)("$name in a $kind room", async ({ call, kind }) => {
    const scene = await stage(kind);
    const actual: Partial<Record<Who, { status: number; code?: string }>> = {};
    for (const who of order) {
      const caller = scene.people[who];
      if (caller) actual[who] = await call.run(scene, caller);
    }
    expect(actual).toEqual(expected(call, kind));
  });

  it("answers an outsider of a private room exactly as for a room that does not exist", async () => {
    const { outsider, room } = await roomWithCast("private");
    const hidden = await api("GET", `/api/rooms/${room.id}`, { token: outsider.accessToken });
    const missing = await api("GET", `/api/rooms/${crypto.randomUUID()}`, { token: outsider.accessToken });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
  });
});
