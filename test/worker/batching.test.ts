import { afterEach, describe, expect, it } from "vitest";
import {
  addMember,
  api,
  closeAllSockets,
  connect,
  createRoom,
  privatePair,
  roomSocket,
  send,
  signUp,
} from "./helpers";

// What a busy room costs its sockets (API.md "Real time, extended"): frames ready in the same turn
// arrive as one `batch` for a socket that asked for it, and in a big room a delivery marker alone is
// not told to everyone.

afterEach(closeAllSockets);

describe("batching (?batch=1)", () => {
  it("puts the frames of one turn in one batch frame, in order, and sends a lone frame as it is", async () => {
    const { room, owner, member } = await privatePair();
    const batched = await connect(`/api/rooms/${room.id}/ws?batch=1&token=${member.accessToken}`);
    const plain = await roomSocket(room.id, owner.accessToken);
    await batched.next("welcome");
    await plain.next("welcome");
    const root = await send(owner.accessToken, room.id, "root");
    await batched.next("message", (frame) => frame.message.seq === root.seq);
    // A reply in a thread is stored and its root's counters move in the same turn: two frames.
    await api("POST", `/api/rooms/${room.id}/messages`, {
      token: owner.accessToken,
      body: { body: "reply", threadSeq: root.seq },
    });
    const updated = await batched.next("message_updated", (frame) => frame.message.seq === root.seq);
    expect(updated.message.thread?.replyCount).toBe(1);
    const order = batched.frames
      .map((frame) => frame.type)
      .filter((type) => type === "message" || type === "message_updated");
    expect(order).toEqual(["message", "message", "message_updated"]);
    expect(batched.batches.some((size) => size >= 2)).toBe(true);
    // Without batch=1, the same frames come one by one.
    await plain.next("message_updated", (frame) => frame.message.seq === root.seq);
    expect(plain.batches).toEqual([]);
  });

  it("answers a ping alone, not wrapped", async () => {
    const { room, member } = await privatePair();
    const batched = await connect(`/api/rooms/${room.id}/ws?batch=1&token=${member.accessToken}`);
    await batched.next("welcome");
    await batched.sync();
    expect(batched.all("pong").length).toBeGreaterThan(0);
  });

  it("refuses a batch parameter that is not 0 or 1", async () => {
    const { room, member } = await privatePair();
    const refused = await api("GET", `/api/rooms/${room.id}/ws?batch=yes&token=${member.accessToken}`, {
      headers: { Upgrade: "websocket" },
    });
    expect(refused.status).toBe(400);
  });
});

describe("receipts in a big room", () => {
  it("tells read markers to everyone but keeps a delivery marker alone from everyone past 20 members", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken, { kind: "private" });
    const people = await Promise.all(Array.from({ length: 21 }, () => signUp()));
    for (const person of people) await addMember(owner.accessToken, room.id, person.user.id);
    const [reader] = people;
    if (!reader) throw new Error("no reader");
    const owners = await roomSocket(room.id, owner.accessToken);
    const readers = await roomSocket(room.id, reader.accessToken);
    await owners.next("welcome");
    await readers.next("welcome");
    const message = await send(owner.accessToken, room.id, "to 22 people");
    await readers.next("message", (frame) => frame.message.seq === message.seq);
    // The author's own read marker moved in the same window as the reader's delivery marker.
    await owners.next("receipt", (frame) => frame.userId === owner.user.id && frame.readSeq >= message.seq);
    await owners.sync();
    expect(owners.all("receipt", (frame) => frame.userId === reader.user.id)).toEqual([]);
    // A read marker is always told.
    readers.send({ type: "read", seq: message.seq });
    expect(await owners.next("receipt", (frame) => frame.userId === reader.user.id)).toMatchObject({
      readSeq: message.seq,
      deliveredSeq: message.seq,
    });
  });

  it("still tells a delivery marker alone in a small room", async () => {
    const { room, owner, member } = await privatePair();
    const owners = await roomSocket(room.id, owner.accessToken);
    const members = await roomSocket(room.id, member.accessToken);
    await owners.next("welcome");
    await members.next("welcome");
    const message = await send(owner.accessToken, room.id, "to two people");
    expect(
      await owners.next(
        "receipt",
        (frame) => frame.userId === member.user.id && frame.deliveredSeq >= message.seq,
      ),
    ).toMatchObject({ readSeq: 0 });
  });
});

describe("receipts' window (each member's own 250 ms)", () => {
  it("sends a sender's read marker with their message, in its batch, even right after someone else's", async () => {
    const { room, owner, member } = await privatePair();
    const watching = await connect(`/api/rooms/${room.id}/ws?batch=1&token=${owner.accessToken}`);
    const texts: string[] = [];
    watching.ws.addEventListener("message", (event) => texts.push(String(event.data)));
    await watching.next("welcome");
    const first = await send(owner.accessToken, room.id, "first");
    const second = await send(member.accessToken, room.id, "right after");
    await watching.next(
      "receipt",
      (frame) => frame.userId === member.user.id && frame.readSeq === second.seq,
    );
    const together = texts.filter(
      (text) => text.includes(`"seq":${second.seq}`) && text.includes(`"readSeq":${second.seq}`),
    );
    expect(together, "the message and its author's marker in one frame").toHaveLength(1);
    expect(first.seq).toBeLessThan(second.seq);
  });

  it("tells a member's markers no more than once per window, the last values winning", async () => {
    const { room, owner, member } = await privatePair();
    const members = await roomSocket(room.id, member.accessToken);
    await members.next("welcome");
    let last = 0;
    for (let i = 0; i < 6; i++) last = (await send(owner.accessToken, room.id, `burst ${i}`)).seq;
    await members.next("receipt", (frame) => frame.userId === owner.user.id && frame.readSeq === last);
    const owners = members.all("receipt").filter((frame) => frame.userId === owner.user.id);
    const seqs = owners.map((frame) => frame.readSeq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});
