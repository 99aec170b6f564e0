import { evictDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import {
  addMember,
  api,
  closeAllSockets,
  createRoom,
  errorOf,
  eventually,
  history,
  type Message,
  privatePair,
  roomSocket,
  roomStub,
  roomWithCast,
  send,
  signUp,
  type TestSocket,
  upgrade,
  userSocket,
} from "./helpers";

afterEach(closeAllSockets);

/** A private room of two, with the owner ("alice") and a member ("bob"). */
async function pair() {
  const { room, owner: alice, member: bob } = await privatePair();
  return { room, alice, bob };
}

/** Opens a room socket and waits for its welcome. */
async function joined(roomId: string, token: string, since?: number): Promise<TestSocket> {
  const socket = await roomSocket(roomId, token, since);
  await socket.next("welcome");
  return socket;
}

const messageSeqs = (socket: TestSocket) => socket.all("message").map((frame) => frame.message.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe("opening a room socket", () => {
  it("refuses a bad or missing token with 401 before the upgrade", async () => {
    const { room } = await pair();
    for (const query of ["?token=not-a-token", ""]) {
      const response = await upgrade(`/api/rooms/${room.id}/ws${query}`);
      expect(response.status).toBe(401);
      expect(response.webSocket).toBeNull();
      expect(
        errorOf({ status: response.status, headers: response.headers, body: await response.json() }).code,
      ).toBe("unauthorized");
    }
  });

  it("answers 404 to a non-member of a private room, and of a room that does not exist", async () => {
    const { room } = await pair();
    const stranger = await signUp();
    for (const roomId of [room.id, crypto.randomUUID()]) {
      const response = await upgrade(`/api/rooms/${roomId}/ws?token=${stranger.accessToken}`);
      expect(response.status).toBe(404);
      expect(response.webSocket).toBeNull();
    }
  });

  it("sends a welcome first, with the last seq, who is online and everyone's receipts", async () => {
    const { room, alice, bob } = await pair();
    await send(alice.accessToken, room.id, "one");
    await send(alice.accessToken, room.id, "two");
    const bobs = await roomSocket(room.id, bob.accessToken);
    await bobs.next("welcome");
    const alices = await roomSocket(room.id, alice.accessToken);
    const welcome = await alices.next("welcome");
    expect(alices.frames[0]).toBe(welcome);
    expect(welcome).toMatchObject({ type: "welcome", roomId: room.id, userId: alice.user.id, lastSeq: 2 });
    expect([...welcome.online].sort()).toEqual([alice.user.id, bob.user.id].sort());
    expect(welcome.receipts).toContainEqual({ userId: alice.user.id, deliveredSeq: 2, readSeq: 2 });
  });
});

describe("opening a room socket with a bad resume cursor", () => {
  it.each(["-1", "abc", "1.5"])("refuses since=%s with 400", async (since) => {
    const { room, bob } = await pair();
    const response = await upgrade(`/api/rooms/${room.id}/ws?token=${bob.accessToken}&since=${since}`);
    expect(response.status).toBe(400);
    expect(response.webSocket).toBeNull();
  });
});

describe("messages in real time", () => {
  it("delivers a message to the other members and confirms it to the sender with its clientId", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    alices.send({ type: "message", body: "hello over the wire", clientId: "ws-1" });
    const mine = await alices.next("message");
    expect(mine.message).toMatchObject({
      roomId: room.id,
      seq: 1,
      userId: alice.user.id,
      body: "hello over the wire",
      clientId: "ws-1",
    });
    const theirs = await bobs.next("message");
    expect(theirs.message).toEqual(mine.message);
    expect((await history(bob.accessToken, room.id)).messages).toEqual([mine.message]);
  });

  it("broadcasts a message sent over REST", async () => {
    const { room, alice, bob } = await pair();
    const bobs = await joined(room.id, bob.accessToken);
    const sent = await send(alice.accessToken, room.id, "from curl", "rest-1");
    expect((await bobs.next("message")).message).toEqual(sent);
  });

  it("answers a repeated clientId with the first message, without a new seq or a second broadcast", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    alices.send({ type: "message", body: "once", clientId: "dup" });
    const first = (await alices.next("message")).message;
    alices.send({ type: "message", body: "twice?", clientId: "dup" });
    const answers = await alices.collect("message", 2);
    expect(answers[1]?.message).toEqual(first);
    await bobs.sync();
    expect(bobs.all("message")).toHaveLength(1);
    expect((await history(bob.accessToken, room.id)).messages).toEqual([first]);
  });
});

describe("resuming with since", () => {
  it("replays exactly the messages after since, in order, then live ones, with no gap or duplicate", async () => {
    const { room, alice, bob } = await pair();
    for (let index = 1; index <= 5; index++) await send(alice.accessToken, room.id, `m${index}`);
    const bobs = await roomSocket(room.id, bob.accessToken, 2);
    await bobs.collect("message", 3);
    expect(bobs.frames[0]?.type).toBe("welcome");
    expect(bobs.all("message").map((frame) => frame.message.body)).toEqual(["m3", "m4", "m5"]);
    await send(alice.accessToken, room.id, "m6");
    await bobs.next("message", (frame) => frame.message.seq === 6);
    await bobs.sync();
    expect(messageSeqs(bobs)).toEqual([3, 4, 5, 6]);
  });

  it("replays everything with since=0 and nothing when since is the last seq", async () => {
    const { room, alice, bob } = await pair();
    for (let index = 1; index <= 3; index++) await send(alice.accessToken, room.id, `m${index}`);
    const everything = await roomSocket(room.id, bob.accessToken, 0);
    await everything.collect("message", 3);
    const upToDate = await joined(room.id, alice.accessToken, 3);
    await everything.sync();
    await upToDate.sync();
    expect(messageSeqs(everything)).toEqual([1, 2, 3]);
    expect(messageSeqs(upToDate)).toEqual([]);
  });

  it("has no gap and no duplicate when messages keep arriving while the socket opens", async () => {
    const { room, alice, bob } = await pair();
    for (let index = 1; index <= 3; index++) await send(alice.accessToken, room.id, `early ${index}`);
    const sending = Promise.all(
      Array.from({ length: 12 }, (_, index) => send(alice.accessToken, room.id, `during ${index}`)),
    );
    const bobs = await roomSocket(room.id, bob.accessToken, 1);
    await sending;
    await bobs.collect("message", 14);
    await bobs.sync();
    expect(messageSeqs(bobs)).toEqual(range(2, 15));
  });
});

describe("presence", () => {
  it("announces a member's first socket and last close, and not their second socket", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobsPhone = await joined(room.id, bob.accessToken);
    expect(await alices.next("presence", (frame) => frame.userId === bob.user.id)).toMatchObject({
      userId: bob.user.id,
      online: true,
    });
    const bobsLaptop = await joined(room.id, bob.accessToken);
    await alices.sync();
    expect(alices.all("presence", (frame) => frame.userId === bob.user.id)).toHaveLength(1);

    await bobsPhone.close();
    await bobsPhone.closed;
    await alices.sync();
    await bobsLaptop.close();
    await alices.next("presence", (frame) => frame.userId === bob.user.id && !frame.online);
    await alices.sync();
    expect(
      alices.all("presence", (frame) => frame.userId === bob.user.id).map((frame) => frame.online),
    ).toEqual([true, false]);
    // Nobody hears about themselves.
    expect(alices.all("presence", (frame) => frame.userId === alice.user.id)).toEqual([]);
  });

  it("lists who is online in the welcome of a later socket", async () => {
    const { room, alice, bob } = await pair();
    await joined(room.id, alice.accessToken);
    const bobs = await roomSocket(room.id, bob.accessToken);
    expect((await bobs.next("welcome")).online).toContain(alice.user.id);
  });
});

describe("typing", () => {
  it("tells the others someone is typing, and stops by itself after a few seconds", {
    timeout: 15_000,
  }, async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    alices.send({ type: "typing", typing: true });
    const started = await bobs.next("typing");
    expect(started).toEqual({ type: "typing", userId: alice.user.id, typing: true });
    const stopped = await bobs.next("typing", (frame) => !frame.typing, 9000);
    expect(stopped).toEqual({ type: "typing", userId: alice.user.id, typing: false });
    await alices.sync();
    expect(alices.all("typing")).toEqual([]);
  });

  it("stops when the typist says so, or sends the message", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    alices.send({ type: "typing", typing: true });
    await bobs.next("typing");
    alices.send({ type: "typing", typing: false });
    await bobs.collect("typing", 2);
    // A new start is told once the throttle allows it (at most one start per 2 s per person).
    const started = await eventually(async () => {
      alices.send({ type: "typing", typing: true });
      await alices.sync();
      return bobs.collect("typing", 3, undefined, 300);
    });
    expect(started.at(-1)?.typing).toBe(true);
    alices.send({ type: "message", body: "done typing", clientId: "t-1" });
    const frames = await bobs.collect("typing", 4);
    expect(frames.map((frame) => frame.typing)).toEqual([true, false, true, false]);
  });

  it("relays a start at most once every 2 s per person, however fast the toggles", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    const seen: number[] = [];
    bobs.ws.addEventListener("message", (event) => {
      const frame = JSON.parse(String(event.data)) as { type: string; typing?: boolean };
      if (frame.type === "typing" && frame.typing) seen.push(Date.now());
    });
    for (let index = 0; index < 200; index++) alices.send({ type: "typing", typing: index % 2 === 0 });
    await alices.sync();
    await bobs.sync();
    expect(bobs.all("typing", (frame) => frame.typing)).toHaveLength(1);
    // Toggling on for a while: the starts the room tells are at least 2 s apart.
    await eventually(
      async () => {
        alices.send({ type: "typing", typing: false });
        alices.send({ type: "typing", typing: true });
        await alices.sync();
        await bobs.sync();
        expect(seen.length).toBeGreaterThanOrEqual(2);
      },
      { timeoutMs: 8000, intervalMs: 100 },
    );
    for (let index = 1; index < seen.length; index++)
      expect((seen[index] ?? 0) - (seen[index - 1] ?? 0)).toBeGreaterThanOrEqual(1900);
  });
});

describe("typing, continued", () => {
  it("stops when the typist's socket closes", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    alices.send({ type: "typing", typing: true });
    await bobs.next("typing");
    await alices.close();
    expect(await bobs.next("typing", (frame) => !frame.typing)).toEqual({
      type: "typing",
      userId: alice.user.id,
      typing: false,
    });
  });

  it("stops by itself even when the room hibernated meanwhile", { timeout: 15_000 }, async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    alices.send({ type: "typing", typing: true });
    await bobs.next("typing");
    await evictDurableObject(roomStub(room.id), { webSockets: "hibernate" });
    expect(await bobs.next("typing", (frame) => !frame.typing, 9000)).toMatchObject({
      userId: alice.user.id,
      typing: false,
    });
  });
});

describe("receipts", () => {
  it("shows a message delivered once it reached the other member's socket, and read after a read frame", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    alices.send({ type: "message", body: "did you get this?", clientId: "r-1" });
    await bobs.next("message");
    const delivered = await alices.next(
      "receipt",
      (frame) => frame.userId === bob.user.id && frame.deliveredSeq >= 1,
    );
    expect(delivered).toEqual({ type: "receipt", userId: bob.user.id, deliveredSeq: 1, readSeq: 0 });

    bobs.send({ type: "read", seq: 1 });
    const read = await alices.next("receipt", (frame) => frame.userId === bob.user.id && frame.readSeq >= 1);
    expect(read).toEqual({ type: "receipt", userId: bob.user.id, deliveredSeq: 1, readSeq: 1 });

    const later = await roomSocket(room.id, alice.accessToken);
    expect((await later.next("welcome")).receipts).toContainEqual({
      userId: bob.user.id,
      deliveredSeq: 1,
      readSeq: 1,
    });
  });

  it("counts a message fetched over REST as delivered, and a REST read as read", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    await send(alice.accessToken, room.id, "one");
    await send(alice.accessToken, room.id, "two");
    await history(bob.accessToken, room.id);
    const delivered = await alices.next("receipt", (frame) => frame.userId === bob.user.id);
    expect(delivered).toEqual({ type: "receipt", userId: bob.user.id, deliveredSeq: 2, readSeq: 0 });
    await api("POST", `/api/rooms/${room.id}/read`, { token: bob.accessToken, body: { seq: 1 } });
    const read = await alices.next("receipt", (frame) => frame.userId === bob.user.id && frame.readSeq > 0);
    expect(read).toMatchObject({ deliveredSeq: 2, readSeq: 1 });
  });

  it("counts a message as delivered when it reached the member's own channel", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobsChannel = await userSocket(bob.accessToken);
    await send(alice.accessToken, room.id, "ping via the room list");
    await eventually(() => bobsChannel.next("room_updated", (frame) => frame.room.id === room.id, 100), {
      roomId: room.id,
    });
    const delivered = await alices.next(
      "receipt",
      (frame) => frame.userId === bob.user.id && frame.deliveredSeq >= 1,
    );
    expect(delivered).toMatchObject({ deliveredSeq: 1, readSeq: 0 });
  });
});

describe("frames the room cannot use", () => {
  it("answers each with an error frame and keeps the socket usable", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    alices.send("this is not json");
    alices.send({ type: "shout", body: "hey" });
    alices.send(new Uint8Array([123, 125]).buffer);
    alices.send({ type: "message", body: "x".repeat(17 * 1024), clientId: "huge-frame" });
    alices.send({ type: "message", body: "y".repeat(4001), clientId: "long-body" });
    alices.send({ type: "message", body: "   ", clientId: "blank-body" });
    alices.send({ type: "message", body: "no client id" });
    const errors = await alices.collect("error", 7);
    expect(errors.map((frame) => frame.code)).toEqual([
      "invalid_request",
      "invalid_request",
      "invalid_request",
      "payload_too_large",
      "payload_too_large",
      "invalid_request",
      "invalid_request",
    ]);
    for (const frame of errors) expect(frame.message).toEqual(expect.any(String));
    expect(errors[4]?.clientId).toBe("long-body");
    expect(errors[5]?.clientId).toBe("blank-body");

    alices.send({ type: "message", body: "still here", clientId: "ok-1" });
    const ok = await alices.next("message");
    expect(ok.message).toMatchObject({ seq: 1, body: "still here", clientId: "ok-1" });
    expect(alices.ws.readyState).toBe(WebSocket.OPEN);
    await bobs.sync();
    expect(bobs.all("message")).toHaveLength(1);
    expect(bobs.all("error")).toEqual([]);
    expect((await history(alice.accessToken, room.id)).messages).toEqual([ok.message]);
  });

  it("answers a ping with a pong", async () => {
    const { room, alice } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    alices.send({ type: "ping" });
    expect(await alices.next("pong")).toEqual({ type: "pong" });
  });
});

describe("the message rate limit", () => {
  it("refuses messages beyond the burst with rate_limited frames and stores exactly the accepted ones", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    const clientIds = Array.from({ length: 30 }, (_, index) => `burst-${index}`);
    for (const clientId of clientIds) alices.send({ type: "message", body: clientId, clientId });
    const isOurs = (clientId: string | null | undefined) => clientIds.includes(clientId ?? "");
    await eventually(() => {
      const answered = alices.all("message").length + alices.all("error").length;
      expect(answered).toBe(30);
    });
    const accepted = alices.all("message", (frame) => isOurs(frame.message.clientId)).map((f) => f.message);
    const refused = alices.all("error");
    expect(refused.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThanOrEqual(20);
    for (const frame of refused) {
      expect(frame.code).toBe("rate_limited");
      expect(isOurs(frame.clientId)).toBe(true);
    }
    expect(
      new Set([...accepted.map((message) => message.clientId), ...refused.map((frame) => frame.clientId)]),
    ).toEqual(new Set(clientIds));
    const stored = (await history(alice.accessToken, room.id, "?limit=100")).messages;
    expect(stored).toEqual(accepted);
    expect(stored.map((message) => message.seq)).toEqual(range(1, accepted.length));
    await bobs.sync();
    expect(bobs.all("message").map((frame) => frame.message)).toEqual(accepted);
  });

  it("is one limit per person per room, shared by all their sockets and REST", async () => {
    // The bucket refills 10 a second, so each check sends a full burst of 20 at once: with an
    // allowance of its own a device or REST would pass all 20; sharing the drained bucket, some are
    // refused however slowly a loaded machine runs.
    const { room, alice, bob } = await pair();
    const first = await joined(room.id, alice.accessToken);
    for (let index = 0; index < 25; index++)
      first.send({ type: "message", body: "spam", clientId: `a-${index}` });
    await first.next("error", (frame) => frame.code === "rate_limited");
    // Another device of the same person does not get a fresh allowance of 20 (only what refilled at
    // 10/s while it connected, so a burst of 20 is never all stored)…
    const second = await joined(room.id, alice.accessToken);
    for (let index = 0; index < 20; index++)
      second.send({ type: "message", body: "from another device", clientId: `b-${index}` });
    const answered = () =>
      second.all("message", (frame) => frame.message.clientId?.startsWith("b-") === true).length +
      second.all("error", (frame) => frame.clientId?.startsWith("b-") === true).length;
    await eventually(() => expect(answered()).toBe(20));
    const refusedFromSecond = second.all("error", (frame) => frame.clientId?.startsWith("b-") === true);
    expect(refusedFromSecond.length).toBeGreaterThan(0);
    expect(refusedFromSecond[0]).toMatchObject({ code: "rate_limited" });
    // …nor does REST: of 20 sends at once, those beyond what refilled meanwhile are refused (429).
    const overRest = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        api("POST", `/api/rooms/${room.id}/messages`, {
          token: alice.accessToken,
          body: { body: "with curl", clientId: `c-${index}` },
        }),
      ),
    );
    const refusedOverRest = overRest.filter((answer) => answer.status === 429);
    expect(refusedOverRest.length).toBeGreaterThan(0);
    expect(Number(refusedOverRest[0]?.headers.get("retry-after"))).toBeGreaterThan(0);
    // …while someone else in the room is not limited by it.
    const bobs = await joined(room.id, bob.accessToken);
    bobs.send({ type: "message", body: "my turn", clientId: "bob-1" });
    expect((await bobs.next("message", (frame) => frame.message.clientId === "bob-1")).message.body).toBe(
      "my turn",
    );
  });
});

describe("losing access", () => {
  it("closes a removed member's sockets with 4003, leaves the others open, and refuses them after", async () => {
    const { room, owner, member, admin } = await roomWithCast("private");
    const membersPhone = await joined(room.id, member.accessToken);
    const membersLaptop = await joined(room.id, member.accessToken);
    const admins = await joined(room.id, admin.accessToken);
    const removed = await api("DELETE", `/api/rooms/${room.id}/members/${member.user.id}`, {
      token: owner.accessToken,
    });
    expect(removed.status).toBe(204);
    expect((await membersPhone.closed).code).toBe(4003);
    expect((await membersLaptop.closed).code).toBe(4003);
    await admins.sync();
    expect(admins.ws.readyState).toBe(WebSocket.OPEN);
    const again = await upgrade(`/api/rooms/${room.id}/ws?token=${member.accessToken}`);
    expect(again.status).toBe(404);
  });

  it("closes the sockets of someone who leaves with 4003", async () => {
    const { room, bob } = await pair();
    const bobs = await joined(room.id, bob.accessToken);
    await api("POST", `/api/rooms/${room.id}/leave`, { token: bob.accessToken });
    expect((await bobs.closed).code).toBe(4003);
  });

  it("closes every socket with 4004 when the room is deleted", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    const deleted = await api("DELETE", `/api/rooms/${room.id}`, { token: alice.accessToken });
    expect(deleted.status).toBe(204);
    expect((await alices.closed).code).toBe(4004);
    expect((await bobs.closed).code).toBe(4004);
    expect((await upgrade(`/api/rooms/${room.id}/ws?token=${alice.accessToken}`)).status).toBe(404);
  });
});

describe("a room that hibernates", () => {
  it("keeps its sockets working, and knows whose they are, after the object is evicted", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    await send(alice.accessToken, room.id, "before");
    await bobs.next("message");
    await evictDurableObject(roomStub(room.id), { webSockets: "hibernate" });

    const after = await send(alice.accessToken, room.id, "after");
    expect(after.seq).toBe(2);
    expect((await bobs.next("message", (frame) => frame.message.seq === 2)).message).toEqual(after);
    bobs.send({ type: "message", body: "from a hibernated socket", clientId: "h-1" });
    const relayed = await alices.next("message", (frame) => frame.message.seq === 3);
    expect(relayed.message).toMatchObject({ userId: bob.user.id, body: "from a hibernated socket" });
    expect(bobs.ws.readyState).toBe(WebSocket.OPEN);
  });

  it("still announces a member going offline after the object is evicted", async () => {
    const { room, alice, bob } = await pair();
    const alices = await joined(room.id, alice.accessToken);
    const bobs = await joined(room.id, bob.accessToken);
    await alices.next("presence", (frame) => frame.userId === bob.user.id && frame.online);
    await evictDurableObject(roomStub(room.id), { webSockets: "hibernate" });
    await bobs.close();
    expect(await alices.next("presence", (frame) => frame.userId === bob.user.id && !frame.online)).toEqual({
      type: "presence",
      userId: bob.user.id,
      online: false,
    });
  });
});

describe("the user channel", () => {
  it("refuses a bad token with 401", async () => {
    const response = await upgrade("/api/ws?token=nope");
    expect(response.status).toBe(401);
    expect(response.webSocket).toBeNull();
  });

  it("tells a user they were added to a room, with its summary", async () => {
    const [owner, bob] = await Promise.all([signUp(), signUp()]);
    const channel = await userSocket(bob.accessToken);
    const room = await createRoom(owner.accessToken, { kind: "private", topic: "welcome" });
    await addMember(owner.accessToken, room.id, bob.user.id);
    const added = await channel.next("room_added");
    expect(added.room).toMatchObject({
      id: room.id,
      kind: "private",
      name: room.name,
      topic: "welcome",
      role: "member",
      unreadCount: 0,
      lastReadSeq: 0,
      lastMessage: null,
    });
  });

  it("tells both people about a new direct room", async () => {
    const [alice, bob] = await Promise.all([signUp(), signUp()]);
    const channel = await userSocket(bob.accessToken);
    const opened = await api<{ id: string }>("POST", "/api/rooms/direct", {
      token: alice.accessToken,
      body: { userId: bob.user.id },
    });
    const added = await channel.next("room_added");
    expect(added.room).toMatchObject({ id: opened.body.id, kind: "direct", peer: { id: alice.user.id } });
  });

  it("updates the room after a message and after a read", async () => {
    const { room, alice, bob } = await pair();
    const channel = await userSocket(bob.accessToken);
    const sent: Message = await send(alice.accessToken, room.id, "news");
    const updated = await eventually(
      () =>
        channel.next(
          "room_updated",
          (frame) => frame.room.id === room.id && frame.room.unreadCount === 1,
          100,
        ),
      { roomId: room.id },
    );
    expect(updated.room).toMatchObject({
      role: "member",
      lastReadSeq: 0,
      lastMessage: { seq: 1, userId: alice.user.id, body: "news", createdAt: sent.createdAt },
    });
    await api("POST", `/api/rooms/${room.id}/read`, { token: bob.accessToken, body: { seq: 1 } });
    const read = await eventually(
      () =>
        channel.next(
          "room_updated",
          (frame) => frame.room.id === room.id && frame.room.unreadCount === 0,
          100,
        ),
      { roomId: room.id },
    );
    expect(read.room.lastReadSeq).toBe(1);
  });

  it("tells a user when they were removed from a room, or it was deleted", async () => {
    const { room, owner, member } = await roomWithCast("private");
    const other = await createRoom(owner.accessToken, { kind: "public" });
    await addMember(owner.accessToken, other.id, member.user.id);
    const channel = await userSocket(member.accessToken);
    await api("DELETE", `/api/rooms/${room.id}/members/${member.user.id}`, { token: owner.accessToken });
    expect(await channel.next("room_removed")).toEqual({ type: "room_removed", roomId: room.id });
    await api("DELETE", `/api/rooms/${other.id}`, { token: owner.accessToken });
    expect(await channel.next("room_removed", (frame) => frame.roomId === other.id)).toEqual({
      type: "room_removed",
      roomId: other.id,
    });
  });

  it("makes its user online while it is open", async () => {
    const [alice, bob] = await Promise.all([signUp(), signUp()]);
    const profile = () =>
      api<{ online: boolean; lastSeenAt: string | null }>("GET", `/api/users/${bob.user.id}`, {
        token: alice.accessToken,
      });
    const channel = await userSocket(bob.accessToken);
    const second = await userSocket(bob.accessToken);
    expect((await profile()).body.online).toBe(true);
    await channel.close();
    await channel.closed;
    await second.sync();
    expect((await profile()).body.online).toBe(true);
    await second.close();
    const offline = await eventually(async () => {
      const body = (await profile()).body;
      expect(body.online).toBe(false);
      return body;
    });
    expect(offline.lastSeenAt).toEqual(expect.any(String));
  });
});
