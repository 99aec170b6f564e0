import { env, runInDurableObject } from "cloudflare:test";
import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import type { Room } from "../../worker/room-object/room";
import {
  api,
  closeAllSockets,
  connect,
  createRoom,
  errorOf,
  PASSWORD,
  privatePair,
  roomSocket,
  roomStub,
  type SignedIn,
  signUp,
  upgrade,
  userSocket,
} from "./helpers";

// The room and the user channel as an attacker tries them (API.md "Safety rules"): socket caps,
// cross-site upgrades, sessions that end everywhere, tokens that expire, a bounded resume, and a
// connect that races a removal.

afterEach(closeAllSockets);

const secret = new TextEncoder().encode(env.JWT_SECRET);

/** The sign-in session an access token belongs to (its `sid` claim). */
function sessionOf(token: string): string {
  const payload = JSON.parse(atob((token.split(".")[1] ?? "").replaceAll("-", "+").replaceAll("_", "/")));
  return String(payload.sid);
}

/** A real session's token, re-signed to expire in `seconds`. */
function expiringToken(signedIn: SignedIn, seconds: number): Promise<string> {
  return new SignJWT({ sid: sessionOf(signedIn.accessToken) })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(signedIn.user.id)
    .setIssuer("hubbub")
    .setAudience("hubbub-api")
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .sign(secret);
}

describe("socket caps", () => {
  it("accepts 10 sockets per person per room and refuses the 11th with 429 before the upgrade", async () => {
    const { room, owner } = await privatePair();
    for (let index = 0; index < 10; index++) await roomSocket(room.id, owner.accessToken);
    const refused = await upgrade(`/api/rooms/${room.id}/ws?token=${owner.accessToken}`);
    expect(refused.status).toBe(429);
    expect(refused.webSocket).toBeNull();
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { code: string } };
    expect(body.error.code).toBe("rate_limited");
  });

  it("accepts 20 channel sockets per person and refuses the 21st with 429", async () => {
    const person = await signUp();
    for (let index = 0; index < 20; index++) await userSocket(person.accessToken);
    const refused = await upgrade(`/api/ws?token=${person.accessToken}`);
    expect(refused.status).toBe(429);
  });
});

describe("the Origin of an upgrade", () => {
  it("refuses another site's page (and a null origin) with 403, and allows the app's own and none", async () => {
    const { room, owner } = await privatePair();
    const path = `/api/rooms/${room.id}/ws?token=${owner.accessToken}`;
    for (const origin of ["https://evil.example", "null"]) {
      const response = await SELF_upgrade(path, origin);
      expect(response.status).toBe(403);
      expect(response.webSocket).toBeNull();
    }
    const channel = await SELF_upgrade(`/api/ws?token=${owner.accessToken}`, "https://evil.example");
    expect(channel.status).toBe(403);
    expect((await SELF_upgrade(path, "https://hubbub.test")).status).toBe(101);
    expect((await upgrade(path)).status).toBe(101);
  });
});

function SELF_upgrade(path: string, origin: string) {
  return connectRaw(path, { Origin: origin });
}

async function connectRaw(path: string, headers: Record<string, string>): Promise<Response> {
  const { SELF } = await import("cloudflare:test");
  const response = await SELF.fetch(`https://hubbub.test${path}`, {
    headers: { Upgrade: "websocket", ...headers },
  });
  response.webSocket?.accept();
  response.webSocket?.close(1000, "test done");
  return response;
}

describe("sessions that end", () => {
  it("closes the session's room and channel sockets with 4001 on logout, and no other session's", async () => {
    const { room, owner } = await privatePair();
    const other = await api<SignedIn>("POST", "/api/auth/login", {
      body: { username: owner.user.username, password: PASSWORD },
    });
    const roomSockets = [
      await roomSocket(room.id, owner.accessToken),
      await roomSocket(room.id, owner.accessToken),
    ];
    const channel = await userSocket(owner.accessToken);
    const otherDevice = await roomSocket(room.id, other.body.accessToken);
    await otherDevice.next("welcome");
    const out = await api("POST", "/api/auth/logout", { body: { refreshToken: owner.refreshToken } });
    expect(out.status).toBe(204);
    for (const socket of [...roomSockets, channel]) expect((await socket.closed).code).toBe(4001);
    await otherDevice.sync();
    expect(otherDevice.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("closes every other session's sockets with 4001 on a password change, and keeps the current one", async () => {
    const { room, owner } = await privatePair();
    const stolen = await api<SignedIn>("POST", "/api/auth/login", {
      body: { username: owner.user.username, password: PASSWORD },
    });
    const thief = await roomSocket(room.id, stolen.body.accessToken);
    const thiefsChannel = await userSocket(stolen.body.accessToken);
    const mine = await roomSocket(room.id, owner.accessToken);
    await mine.next("welcome");
    const changed = await api("POST", "/api/users/me/password", {
      token: owner.accessToken,
      body: { currentPassword: PASSWORD, newPassword: "a new and better passphrase" },
    });
    expect(changed.status).toBe(204);
    expect((await thief.closed).code).toBe(4001);
    expect((await thiefsChannel.closed).code).toBe(4001);
    await mine.sync();
    expect(mine.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("closes the sockets of a session whose refresh token was reused", async () => {
    const { room, owner } = await privatePair();
    const socket = await roomSocket(room.id, owner.accessToken);
    await socket.next("welcome");
    const first = await api<SignedIn>("POST", "/api/auth/refresh", {
      body: { refreshToken: owner.refreshToken },
    });
    expect(first.status).toBe(200);
    const onward = await api("POST", "/api/auth/refresh", {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(onward.status).toBe(200);
    // The first token again, after its successor was used: a reuse.
    const reused = await api("POST", "/api/auth/refresh", { body: { refreshToken: owner.refreshToken } });
    expect(reused.status).toBe(401);
    expect((await socket.closed).code).toBe(4001);
  });

  it("closes a socket with 4001 when the access token that opened it expires", async () => {
    const { room, owner } = await privatePair();
    const shortLived = await expiringToken(owner, 2);
    const inRoom = await roomSocket(room.id, shortLived);
    const channel = await userSocket(shortLived);
    await inRoom.next("welcome");
    expect((await inRoom.closed).code).toBe(4001);
    expect((await channel.closed).code).toBe(4001);
  });
});

describe("a resume from far behind", () => {
  it("replays the 1,000 messages after since, then says resume_incomplete with where to page on", async () => {
    const { room, owner } = await privatePair();
    // 1,010 messages written straight into the room's SQLite (sending them would take minutes at
    // the rate limit); the room has not read its last seq yet, so it sees them all.
    await runInDurableObject(roomStub(room.id), async (_room: Room, state) => {
      for (let seq = 1; seq <= 1010; seq++) {
        state.storage.sql.exec(
          "INSERT INTO messages (seq, id, user_id, body, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
          seq,
          crypto.randomUUID(),
          owner.user.id,
          `message ${seq}`,
          `seed-${seq}`,
          Date.now(),
        );
      }
    });
    const socket = await connect(`/api/rooms/${room.id}/ws?token=${owner.accessToken}&since=5`);
    const notice = await socket.next("resume_incomplete");
    expect(notice).toEqual({ type: "resume_incomplete", nextSeq: 1006 });
    const replayed = socket.all("message").map((frame) => frame.message.seq);
    expect(replayed).toEqual(Array.from({ length: 1000 }, (_, index) => index + 6));
  });
});

describe("a connect that races a removal", () => {
  it("is refused by the room itself once the removal reached it, even past the Worker's check", async () => {
    const { room, owner, member } = await privatePair();
    const removed = await api("DELETE", `/api/rooms/${room.id}/members/${member.user.id}`, {
      token: owner.accessToken,
    });
    expect(removed.status).toBe(204);
    // What a connect that passed the Worker's membership check just before the removal looks like
    // when it reaches the room after it:
    const url = new URL("https://internal/connect");
    for (const [name, value] of Object.entries({
      roomId: room.id,
      userId: member.user.id,
      sessionId: sessionOf(member.accessToken),
      expiresAt: String(Date.now() + 600_000),
    }))
      url.searchParams.set(name, value);
    const answer = await roomStub(room.id).fetch(new Request(url, { headers: { Upgrade: "websocket" } }));
    expect(answer.status).toBe(404);
    expect(answer.webSocket).toBeNull();
    expect(errorOf({ status: 404, headers: answer.headers, body: await answer.json() }).code).toBe(
      "not_found",
    );
  });
});

describe("who is left in a room", () => {
  it("deletes a room its last member leaves, so no room is left without an owner", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken, { kind: "public" });
    const left = await api("POST", `/api/rooms/${room.id}/leave`, { token: owner.accessToken });
    expect(left.status).toBe(204);
    const after = await api("GET", `/api/rooms/${room.id}`, { token: owner.accessToken });
    expect(after.status).toBe(404);
  });

  it("does not pull someone who left a direct room back in when the other person opens it", async () => {
    const [ann, ben] = await Promise.all([signUp(), signUp()]);
    const opened = await api<{ id: string }>("POST", "/api/rooms/direct", {
      token: ann.accessToken,
      body: { userId: ben.user.id },
    });
    expect(opened.status).toBe(201);
    expect((await api("POST", `/api/rooms/${opened.body.id}/leave`, { token: ben.accessToken })).status).toBe(
      204,
    );
    const again = await api<{ members: { userId: string }[] }>("POST", "/api/rooms/direct", {
      token: ann.accessToken,
      body: { userId: ben.user.id },
    });
    expect(again.status).toBe(200);
    expect(again.body.members.map((member) => member.userId)).toEqual([ann.user.id]);
    const bensList = await api<{ rooms: { id: string }[] }>("GET", "/api/rooms", { token: ben.accessToken });
    expect(bensList.body.rooms.map((item) => item.id)).not.toContain(opened.body.id);
    // He gets it back, with its history, when he opens it himself.
    const back = await api<{ id: string }>("POST", "/api/rooms/direct", {
      token: ben.accessToken,
      body: { userId: ann.user.id },
    });
    expect(back.status).toBe(200);
    expect(back.body.id).toBe(opened.body.id);
  });
});
