import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { CallParticipant } from "../../worker/protocol/calls";
import {
  addMember,
  api,
  closeAllSockets,
  createRoom,
  errorOf,
  history,
  type RoomDetail,
  roomSocket,
  roomStub,
  runRoomAlarm,
  type SignedIn,
  signUp,
  type TestSocket,
  userSocket,
} from "./helpers";

afterEach(closeAllSockets);

// Calls (API.md "Calls"): the room keeps who is in the call on their sockets and relays what their
// browsers say to each other; a direct call rings the other person's devices.

type Seat = { person: SignedIn; socket: TestSocket; connectionId: string };

/** Opens a room socket and waits for its welcome; returns it with its connectionId. */
async function enter(roomId: string, person: SignedIn): Promise<Seat> {
  const socket = await roomSocket(roomId, person.accessToken);
  const welcome = await socket.next("welcome");
  return { person, socket, connectionId: welcome.connectionId };
}

/** A public room with `count` people in it, each with a socket open to it. */
async function publicRoomOf(count: number): Promise<{ room: RoomDetail; seats: Seat[] }> {
  const people = await Promise.all(Array.from({ length: count }, () => signUp()));
  const [owner, ...others] = people as [SignedIn, ...SignedIn[]];
  const room = await createRoom(owner.accessToken, { kind: "public" });
  for (const person of others)
    expect((await api("POST", `/api/rooms/${room.id}/join`, { token: person.accessToken })).status).toBe(200);
  const seats: Seat[] = [];
  for (const person of people) seats.push(await enter(room.id, person));
  return { room, seats };
}

/** A direct room between two new people. */
async function directPair() {
  const [ann, ben] = await Promise.all([signUp(), signUp()]);
  const opened = await api<RoomDetail>("POST", "/api/rooms/direct", {
    token: ann.accessToken,
    body: { userId: ben.user.id },
  });
  expect(opened.status).toBe(201);
  return { room: opened.body, ann, ben };
}

const connectionsIn = (participants: CallParticipant[]) => participants.map((each) => each.connectionId);

/** Waits until this socket's latest call_state lists exactly these connections, in this order. */
async function callStateIs(socket: TestSocket, connections: string[], timeoutMs?: number) {
  await socket.next(
    "call_state",
    () => connectionsIn(socket.all("call_state").at(-1)?.participants ?? []).join() === connections.join(),
    timeoutMs,
  );
  return socket.all("call_state").at(-1)?.participants ?? [];
}

/** Each joins in turn (each join seen before the next is sent), so the call's order is theirs. */
async function joinInTurn(seats: Seat[], video = true): Promise<void> {
  for (const seat of seats) {
    seat.socket.send({ type: "call_join", audio: true, video });
    await seat.socket.next("call_state", (frame) =>
      connectionsIn(frame.participants).includes(seat.connectionId),
    );
  }
}

const offer = { sdp: { type: "offer" as const, sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" } };

describe("the call's state", () => {
  it("gives every socket its own connectionId and the call in its welcome", async () => {
    const { room, seats } = await publicRoomOf(2);
    const [ann, ben] = seats as [Seat, Seat];
    expect(ann.connectionId).toEqual(expect.any(String));
    expect(ann.connectionId).not.toBe(ben.connectionId);
    expect((await ann.socket.next("welcome")).call).toEqual({ participants: [] });

    ann.socket.send({ type: "call_join", audio: true, video: false });
    await callStateIs(ben.socket, [ann.connectionId]);
    const later = await roomSocket(room.id, ben.person.accessToken);
    const welcome = await later.next("welcome");
    expect(welcome.call.participants).toEqual([
      {
        userId: ann.person.user.id,
        connectionId: ann.connectionId,
        audio: true,
        video: false,
        screen: false,
        joinedAt: expect.any(String),
      },
    ]);
  });

  it("tells every socket of the room who joins, what they send, and who leaves, in the order they joined", async () => {
    const { seats } = await publicRoomOf(3);
    const [ann, ben, cat] = seats as [Seat, Seat, Seat];
    ann.socket.send({ type: "call_join", audio: true, video: true });
    await callStateIs(cat.socket, [ann.connectionId]);
    ben.socket.send({ type: "call_join", audio: false, video: true });
    const both = await callStateIs(cat.socket, [ann.connectionId, ben.connectionId]);
    expect(both[1]).toMatchObject({ userId: ben.person.user.id, audio: false, video: true, screen: false });

    ann.socket.send({ type: "call_update", audio: false, video: true, screen: true });
    await cat.socket.next("call_state", (frame) => frame.participants[0]?.screen === true);
    expect(cat.socket.all("call_state").at(-1)?.participants[0]).toMatchObject({
      audio: false,
      screen: true,
    });

    ann.socket.send({ type: "call_leave" });
    await callStateIs(cat.socket, [ben.connectionId]);
    await callStateIs(ann.socket, [ben.connectionId]);
  });

  it("refuses an update from someone who is not in the call, and ignores a leave from them", async () => {
    const { seats } = await publicRoomOf(2);
    const [ann, ben] = seats as [Seat, Seat];
    ann.socket.send({ type: "call_update", audio: true, video: true, screen: false });
    expect(await ann.socket.next("error")).toMatchObject({ code: "invalid_request" });
    ann.socket.send({ type: "call_leave" });
    await ann.socket.sync();
    await ben.socket.sync();
    expect(ben.socket.all("call_state")).toEqual([]);
  });

  it("moves a person's seat to the device they join from last", async () => {
    const { room, seats } = await publicRoomOf(2);
    const [ann, ben] = seats as [Seat, Seat];
    await joinInTurn([ann, ben]);
    await callStateIs(ben.socket, [ann.connectionId, ben.connectionId]);
    const annsPhone = await enter(room.id, ann.person);
    annsPhone.socket.send({ type: "call_join", audio: true, video: false });
    // Her place in the order stays; the connection is the new one.
    const moved = await callStateIs(ben.socket, [annsPhone.connectionId, ben.connectionId]);
    expect(moved[0]).toMatchObject({ userId: ann.person.user.id, video: false });
    expect(ben.socket.all("call_state").at(-1)?.participants).toHaveLength(2);
  });

  it("keeps the call through hibernation: the seats are on the sockets", async () => {
    const { room, seats } = await publicRoomOf(2);
    const [ann, ben] = seats as [Seat, Seat];
    ann.socket.send({ type: "call_join", audio: true, video: true });
    await callStateIs(ben.socket, [ann.connectionId]);
    await evictDurableObject(roomStub(room.id), { webSockets: "hibernate" });
    ben.socket.send({ type: "call_join", audio: true, video: true });
    await callStateIs(ann.socket, [ann.connectionId, ben.connectionId]);
  });
});

describe("signals", () => {
  it("reach only the participant they are addressed to, as sent, with who sent them", async () => {
    const { seats } = await publicRoomOf(4);
    const [ann, ben, cat, dan] = seats as [Seat, Seat, Seat, Seat];
    await joinInTurn([ann, ben, cat]);
    await callStateIs(dan.socket, [ann.connectionId, ben.connectionId, cat.connectionId]);

    const candidate = {
      candidate: {
        candidate: "candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host",
        sdpMid: "0",
        sdpMLineIndex: 0,
        usernameFragment: "abcd",
      },
    };
    ann.socket.send({ type: "call_signal", toConnectionId: ben.connectionId, signal: offer });
    ann.socket.send({ type: "call_signal", toConnectionId: ben.connectionId, signal: candidate });
    const received = await ben.socket.collect("call_signal", 2);
    expect(received).toEqual([
      {
        type: "call_signal",
        fromConnectionId: ann.connectionId,
        fromUserId: ann.person.user.id,
        signal: offer,
      },
      {
        type: "call_signal",
        fromConnectionId: ann.connectionId,
        fromUserId: ann.person.user.id,
        signal: candidate,
      },
    ]);
    for (const seat of [ann, ben, cat, dan]) await seat.socket.sync();
    for (const seat of [ann, cat, dan]) expect(seat.socket.all("call_signal")).toEqual([]);
  });

  it("are refused from outside the call, and to anyone outside it", async () => {
    const { seats } = await publicRoomOf(3);
    const [ann, ben, dan] = seats as [Seat, Seat, Seat];
    await joinInTurn([ann, ben], false);
    await callStateIs(dan.socket, [ann.connectionId, ben.connectionId]);

    dan.socket.send({ type: "call_signal", toConnectionId: ann.connectionId, signal: offer });
    expect(await dan.socket.next("error")).toMatchObject({ code: "invalid_request" });
    ann.socket.send({ type: "call_signal", toConnectionId: dan.connectionId, signal: offer });
    ann.socket.send({ type: "call_signal", toConnectionId: ann.connectionId, signal: offer });
    expect((await ann.socket.collect("error", 2)).map((frame) => frame.code)).toEqual([
      "not_found",
      "not_found",
    ]);
    for (const seat of [ann, ben, dan]) await seat.socket.sync();
    for (const seat of [ann, ben, dan]) expect(seat.socket.all("call_signal")).toEqual([]);
  });

  it("are at most 16 KiB and of the documented shape", async () => {
    const { seats } = await publicRoomOf(2);
    const [ann, ben] = seats as [Seat, Seat];
    await joinInTurn([ann, ben], false);
    await callStateIs(ann.socket, [ann.connectionId, ben.connectionId]);
    const huge = { sdp: { type: "offer", sdp: "a".repeat(17 * 1024) } };
    ann.socket.send({ type: "call_signal", toConnectionId: ben.connectionId, signal: huge });
    expect(await ann.socket.next("error")).toMatchObject({ code: "payload_too_large" });
    for (const signal of [
      { sdp: { type: "rollback", sdp: "" } },
      { video: "yes" },
      { candidate: { sdpMid: "0" } },
    ]) {
      ann.socket.send({ type: "call_signal", toConnectionId: ben.connectionId, signal });
    }
    const refused = await ann.socket.collect("error", 4);
    expect(refused.slice(1).map((frame) => frame.code)).toEqual([
      "invalid_request",
      "invalid_request",
      "invalid_request",
    ]);
    await ben.socket.sync();
    expect(ben.socket.all("call_signal")).toEqual([]);
  });

  it("are rate-limited per connection: a flood is cut off with rate_limited", async () => {
    const { seats } = await publicRoomOf(2);
    const [ann, ben] = seats as [Seat, Seat];
    await joinInTurn([ann, ben], false);
    await callStateIs(ann.socket, [ann.connectionId, ben.connectionId]);
    for (let index = 0; index < 400; index++)
      ann.socket.send({ type: "call_signal", toConnectionId: ben.connectionId, signal: offer });
    await ann.socket.next("error", (frame) => frame.code === "rate_limited");
    await ann.socket.sync();
    await ben.socket.sync();
    const relayed = ben.socket.all("call_signal").length;
    expect(relayed).toBeGreaterThanOrEqual(200);
    expect(relayed).toBeLessThan(400);
    expect(relayed + ann.socket.all("error", (frame) => frame.code === "rate_limited").length).toBe(400);
  });
});

describe("leaving and limits", () => {
  it("takes a participant whose socket closes out of the call at once", async () => {
    const { seats } = await publicRoomOf(3);
    const [ann, ben, cat] = seats as [Seat, Seat, Seat];
    await joinInTurn([ann, ben, cat]);
    await callStateIs(ann.socket, [ann.connectionId, ben.connectionId, cat.connectionId]);
    await ben.socket.close();
    await callStateIs(ann.socket, [ann.connectionId, cat.connectionId], 2000);
    await callStateIs(cat.socket, [ann.connectionId, cat.connectionId], 2000);
  });

  it("takes someone removed from the room out of the call", async () => {
    const [owner, member, other] = await Promise.all([signUp(), signUp(), signUp()]);
    const room = await createRoom(owner.accessToken, { kind: "private" });
    await addMember(owner.accessToken, room.id, member.user.id);
    await addMember(owner.accessToken, room.id, other.user.id);
    const [own, mem, oth] = [
      await enter(room.id, owner),
      await enter(room.id, member),
      await enter(room.id, other),
    ];
    await joinInTurn([own, mem, oth], false);
    await callStateIs(own.socket, [own.connectionId, mem.connectionId, oth.connectionId]);
    const removed = await api("DELETE", `/api/rooms/${room.id}/members/${member.user.id}`, {
      token: owner.accessToken,
    });
    expect(removed.status).toBe(204);
    await callStateIs(own.socket, [own.connectionId, oth.connectionId], 5000);
  });

  it("lists participants in the order they joined, even those who joined within one millisecond", async () => {
    const { seats } = await publicRoomOf(6);
    await joinInTurn(seats, false);
    const state = await callStateIs(
      (seats[0] as Seat).socket,
      seats.map((seat) => seat.connectionId),
    );
    const times = state.map((participant) => Date.parse(participant.joinedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
  });

  it("holds at most MAX_CALL_PARTICIPANTS (6): the seventh is told call_full", async () => {
    const { seats } = await publicRoomOf(7);
    const six = seats.slice(0, 6);
    const seventh = seats[6] as Seat;
    await joinInTurn(six, false);
    seventh.socket.send({ type: "call_join", audio: true, video: false });
    const refused = await seventh.socket.next("error");
    expect(refused.code).toBe("call_full");
    expect(refused.message).toMatch(/6/);
    await seventh.socket.sync();
    expect(seventh.socket.all("call_state").at(-1)?.participants).toHaveLength(6);
    // A seat that frees up can be taken.
    await (six[0] as Seat).socket.close();
    await callStateIs(
      seventh.socket,
      six.slice(1).map((seat) => seat.connectionId),
    );
    seventh.socket.send({ type: "call_join", audio: true, video: false });
    await seventh.socket.next("call_state", (frame) =>
      connectionsIn(frame.participants).includes(seventh.connectionId),
    );
  });

  it("posts a kind call message by whoever started it when the last one leaves", async () => {
    const { room, seats } = await publicRoomOf(3);
    const [ann, ben, cat] = seats as [Seat, Seat, Seat];
    ann.socket.send({ type: "call_join", audio: true, video: true });
    await callStateIs(cat.socket, [ann.connectionId]);
    ben.socket.send({ type: "call_join", audio: true, video: true });
    await callStateIs(cat.socket, [ann.connectionId, ben.connectionId]);
    ann.socket.send({ type: "call_leave" });
    await callStateIs(cat.socket, [ben.connectionId]);
    ben.socket.send({ type: "call_leave" });
    await callStateIs(cat.socket, []);

    const { message } = await cat.socket.next("message");
    expect(message).toMatchObject({
      kind: "call",
      body: "",
      userId: ann.person.user.id,
      call: { participantIds: [ann.person.user.id, ben.person.user.id], durationSec: expect.any(Number) },
    });
    const { startedAt, endedAt, durationSec } = message.call ?? {
      startedAt: "",
      endedAt: "",
      durationSec: -1,
    };
    expect(Date.parse(endedAt)).toBeGreaterThanOrEqual(Date.parse(startedAt));
    expect(durationSec).toBe(Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
    expect((await history(cat.person.accessToken, room.id)).messages).toEqual([message]);
    // Nobody can give a call message text.
    const edit = await api("PATCH", `/api/rooms/${room.id}/messages/${message.seq}`, {
      token: ann.person.accessToken,
      body: { body: "rewritten" },
    });
    expect(edit.status).toBe(409);
  });

  it("refuses a muted member", async () => {
    const { room, seats } = await publicRoomOf(2);
    const [owner, member] = seats as [Seat, Seat];
    const muted = await api("POST", `/api/rooms/${room.id}/mutes`, {
      token: owner.person.accessToken,
      body: { userId: member.person.user.id, minutes: 10 },
    });
    expect(muted.status).toBeLessThan(300);
    member.socket.send({ type: "call_join", audio: true, video: true });
    expect(await member.socket.next("error")).toMatchObject({ code: "forbidden" });
  });
});

describe("ringing in a direct room", () => {
  it("rings the other person on every device, and stops everywhere when they answer on one", async () => {
    const { room, ann, ben } = await directPair();
    const bensPhone = await userSocket(ben.accessToken);
    const bensLaptop = await userSocket(ben.accessToken);
    const annsChannel = await userSocket(ann.accessToken);
    for (const channel of [bensPhone, bensLaptop, annsChannel]) await channel.sync();
    const anns = await enter(room.id, ann);
    anns.socket.send({ type: "call_join", audio: true, video: true });
    for (const channel of [bensPhone, bensLaptop])
      expect(await channel.next("call_ringing")).toEqual({
        type: "call_ringing",
        roomId: room.id,
        fromUserId: ann.user.id,
      });

    const bens = await enter(room.id, ben);
    bens.socket.send({ type: "call_join", audio: true, video: false });
    for (const channel of [bensPhone, bensLaptop, annsChannel])
      expect(await channel.next("call_ringing_stopped")).toEqual({
        type: "call_ringing_stopped",
        roomId: room.id,
        reason: "answered",
      });
    await callStateIs(anns.socket, [anns.connectionId, bens.connectionId]);
    await annsChannel.sync();
    expect(annsChannel.all("call_ringing")).toEqual([]);

    // Hanging up a direct call ends it for both, and both hear that it ended.
    bens.socket.send({ type: "call_leave" });
    await callStateIs(anns.socket, []);
    for (const channel of [bensPhone, annsChannel])
      await channel.next("call_ended", (frame) => frame.roomId === room.id);
    const { message } = await anns.socket.next("message");
    expect(message.call?.participantIds).toEqual([ann.user.id, ben.user.id]);
  });

  it("stops when the callee declines over REST: the call ends with a message", async () => {
    const { room, ann, ben } = await directPair();
    const bensChannel = await userSocket(ben.accessToken);
    const annsChannel = await userSocket(ann.accessToken);
    await bensChannel.sync();
    await annsChannel.sync();
    const anns = await enter(room.id, ann);
    anns.socket.send({ type: "call_join", audio: true, video: true });
    await bensChannel.next("call_ringing");

    const declined = await api("POST", `/api/rooms/${room.id}/call/decline`, { token: ben.accessToken });
    expect(declined.status).toBe(204);
    for (const channel of [bensChannel, annsChannel])
      expect(await channel.next("call_ringing_stopped")).toMatchObject({ reason: "declined" });
    await callStateIs(anns.socket, []);
    const { message } = await anns.socket.next("message");
    expect(message).toMatchObject({
      kind: "call",
      userId: ann.user.id,
      call: { participantIds: [ann.user.id] },
    });
    await bensChannel.next("call_ended");
    // Declining again, or when nothing rings, changes nothing.
    expect((await api("POST", `/api/rooms/${room.id}/call/decline`, { token: ben.accessToken })).status).toBe(
      204,
    );
  });

  it("counts as missed after 30 s, even when the room hibernated meanwhile", async () => {
    const { room, ann, ben } = await directPair();
    const bensChannel = await userSocket(ben.accessToken);
    await bensChannel.sync();
    const anns = await enter(room.id, ann);
    anns.socket.send({ type: "call_join", audio: true, video: false });
    await bensChannel.next("call_ringing");
    // Thirty seconds pass: the deadline is moved instead of waiting for it.
    const stub = roomStub(room.id);
    await runInDurableObject(stub, (_room, state) => {
      state.storage.sql.exec("UPDATE current_call SET ring_until = ?", Date.now() - 1);
    });
    await evictDurableObject(stub, { webSockets: "hibernate" });
    expect(await runRoomAlarm(room.id)).toBe(true);
    expect(await bensChannel.next("call_ringing_stopped")).toMatchObject({
      roomId: room.id,
      reason: "missed",
    });
    await callStateIs(anns.socket, []);
    const { message } = await anns.socket.next("message");
    expect(message).toMatchObject({ kind: "call", call: { participantIds: [ann.user.id] } });
  });

  it("is cancelled when the caller hangs up first", async () => {
    const { room, ann, ben } = await directPair();
    const bensChannel = await userSocket(ben.accessToken);
    await bensChannel.sync();
    const anns = await enter(room.id, ann);
    anns.socket.send({ type: "call_join", audio: true, video: false });
    await bensChannel.next("call_ringing");
    await anns.socket.close();
    expect(await bensChannel.next("call_ringing_stopped")).toMatchObject({ reason: "cancelled" });
    await bensChannel.next("call_ended");
  });

  it("does not ring anyone in a group room", async () => {
    const { seats } = await publicRoomOf(2);
    const [ann, ben] = seats as [Seat, Seat];
    const bensChannel = await userSocket(ben.person.accessToken);
    await bensChannel.sync();
    ann.socket.send({ type: "call_join", audio: true, video: false });
    await callStateIs(ben.socket, [ann.connectionId]);
    await bensChannel.sync();
    expect(bensChannel.all("call_ringing")).toEqual([]);
  });
});

describe("decline, over REST", () => {
  it("is for members only", async () => {
    const { room } = await directPair();
    const stranger = await signUp();
    const answer = await api("POST", `/api/rooms/${room.id}/call/decline`, { token: stranger.accessToken });
    expect(answer.status).toBe(404);
    expect(errorOf(answer).code).toBe("not_found");
    expect((await api("POST", `/api/rooms/${room.id}/call/decline`)).status).toBe(401);
  });
});

describe("GET /api/calls/ice-servers", () => {
  it("answers any signed-in user; with nothing configured the list is empty", async () => {
    const person = await signUp();
    const answer = await api<{ iceServers: unknown[] }>("GET", "/api/calls/ice-servers", {
      token: person.accessToken,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ iceServers: [] });
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const anonymous = await api("GET", "/api/calls/ice-servers");
    expect(anonymous.status).toBe(401);
    expect(errorOf(anonymous).code).toBe("unauthorized");
  });
});
