import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { Room } from "../../worker/room-object/room";
import {
  addMember,
  api,
  closeAllSockets,
  createRoom,
  errorOf,
  eventually,
  history,
  type Message,
  myRooms,
  privatePair,
  type RoomSummary,
  roomSocket,
  roomStub,
  roomWithCast,
  type SignedIn,
  send,
  signUp,
} from "./helpers";

afterEach(closeAllSockets);

const pair = privatePair;

async function sendMany(person: SignedIn, roomId: string, count: number) {
  const sent: Message[] = [];
  for (let index = 1; index <= count; index++) sent.push(await send(person.accessToken, roomId, `m${index}`));
  return sent;
}

const seqs = (messages: Message[]) => messages.map((message) => message.seq);

describe("sending a message", () => {
  it("stores it with the next seq and answers 201 with the whole message", async () => {
    const { room, owner } = await pair();
    const response = await api<Message>("POST", `/api/rooms/${room.id}/messages`, {
      token: owner.accessToken,
      body: { body: "Hello, room!", clientId: "c-1" },
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      roomId: room.id,
      seq: 1,
      userId: owner.user.id,
      body: "Hello, room!",
      clientId: "c-1",
      createdAt: expect.any(String),
      editedAt: null,
      deletedAt: null,
      kind: "text",
      threadSeq: null,
      replyTo: null,
      mentions: [],
      reactions: [],
      pinnedAt: null,
      pinnedBy: null,
      thread: null,
      call: null,
      attachments: [],
      linkPreview: null,
    });
    expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
    const second = await send(owner.accessToken, room.id, "two");
    const third = await send(owner.accessToken, room.id, "three");
    expect([second.seq, third.seq]).toEqual([2, 3]);
    expect(second.clientId).toBeNull();
    expect(new Set([response.body.id, second.id, third.id]).size).toBe(3);
  });

  it("stores the body exactly as sent", async () => {
    const { room, member } = await pair();
    const body = "  spaced out\n\t<b>not html</b> 🎉  ";
    const sent = await send(member.accessToken, room.id, body);
    expect(sent.body).toBe(body);
    expect((await history(member.accessToken, room.id)).messages[0]?.body).toBe(body);
  });

  it("answers a repeated clientId with the first message (200), whatever the body, using no new seq", async () => {
    const { room, owner } = await pair();
    const first = await send(owner.accessToken, room.id, "original", "retry-me");
    const repeat = await api<Message>("POST", `/api/rooms/${room.id}/messages`, {
      token: owner.accessToken,
      body: { body: "a different body", clientId: "retry-me" },
    });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first);
    const next = await send(owner.accessToken, room.id, "next");
    expect(next.seq).toBe(first.seq + 1);
    const page = await history(owner.accessToken, room.id);
    expect(page.messages.map((message) => message.body)).toEqual(["original", "next"]);
  });

  it("keeps clientIds apart per author", async () => {
    const { room, owner, member } = await pair();
    const mine = await send(owner.accessToken, room.id, "owner's", "same-id");
    const theirs = await api<Message>("POST", `/api/rooms/${room.id}/messages`, {
      token: member.accessToken,
      body: { body: "member's", clientId: "same-id" },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body).toMatchObject({ seq: mine.seq + 1, userId: member.user.id, body: "member's" });
  });

  it("deduplicates concurrent sends with the same clientId", async () => {
    const { room, owner } = await pair();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        api<Message>("POST", `/api/rooms/${room.id}/messages`, {
          token: owner.accessToken,
          body: { body: "once", clientId: "racing" },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect((await history(owner.accessToken, room.id)).messages).toHaveLength(1);
  });

  it.each([
    ["an empty body", ""],
    ["a body of only white space", " \n\t "],
    ["a body over 4,000 characters", "x".repeat(4001)],
    ["a body over 4,000 characters counted as people count them", "🎉".repeat(4001)],
  ])("refuses %s with 400 and stores nothing", async (_label, body) => {
    const { room, owner } = await pair();
    const response = await api("POST", `/api/rooms/${room.id}/messages`, {
      token: owner.accessToken,
      body: { body },
    });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("invalid_request");
    expect(errorOf(response).message).toMatch(/^body:/);
    expect((await history(owner.accessToken, room.id)).messages).toEqual([]);
  });

  it("accepts a body of exactly 4,000 characters, even when they are emoji", async () => {
    const { room, owner } = await pair();
    expect((await send(owner.accessToken, room.id, "x".repeat(4000))).seq).toBe(1);
    expect((await send(owner.accessToken, room.id, "🎉".repeat(4000))).seq).toBe(2);
  });

  it("refuses a clientId over 64 characters or empty", async () => {
    const { room, owner } = await pair();
    for (const clientId of ["c".repeat(65), ""]) {
      const response = await api("POST", `/api/rooms/${room.id}/messages`, {
        token: owner.accessToken,
        body: { body: "hi", clientId },
      });
      expect(response.status).toBe(400);
      expect(errorOf(response).message).toMatch(/^clientId:/);
    }
  });

  it("gives concurrent senders gapless, unique, increasing seqs", async () => {
    const owner = await signUp();
    const others = await Promise.all([signUp(), signUp()]);
    const room = await createRoom(owner.accessToken, { kind: "public" });
    for (const other of others) await addMember(owner.accessToken, room.id, other.user.id);
    const senders = [owner, ...others];
    const sent = await Promise.all(
      senders.flatMap((sender, who) =>
        Array.from({ length: 10 }, (_, index) =>
          send(sender.accessToken, room.id, `${who}-${index}`, `${who}-${index}`),
        ),
      ),
    );
    expect(sent.map((message) => message.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, index) => index + 1),
    );
    const page = await history(owner.accessToken, room.id);
    expect(seqs(page.messages)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    // Each sender's own messages keep the order in which the room stored them, and each is stored once.
    expect(new Set(page.messages.map((message) => message.clientId)).size).toBe(30);
    for (const message of page.messages) {
      expect(sent.find((item) => item.clientId === message.clientId)).toEqual(message);
    }
  });
});

describe("the REST rate limit", () => {
  it("answers 429 with Retry-After beyond the burst, and does not store the refused messages", async () => {
    const { room, owner } = await pair();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        api("POST", `/api/rooms/${room.id}/messages`, {
          token: owner.accessToken,
          body: { body: `burst ${index}`, clientId: `burst-${index}` },
        }),
      ),
    );
    const accepted = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(accepted.length + refused.length).toBe(30);
    expect(accepted.length).toBeGreaterThanOrEqual(20);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(errorOf(answer).code).toBe("rate_limited");
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    const stored = (await history(owner.accessToken, room.id, "?limit=100")).messages;
    expect(stored).toHaveLength(accepted.length);
    expect(seqs(stored)).toEqual(Array.from({ length: accepted.length }, (_, index) => index + 1));
    expect(new Set(stored.map((message) => message.clientId))).toEqual(
      new Set(accepted.map((answer) => (answer.body as unknown as Message).clientId)),
    );
  });

  it("limits each sender on their own", async () => {
    const { room, owner, member } = await pair();
    await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        api("POST", `/api/rooms/${room.id}/messages`, {
          token: owner.accessToken,
          body: { body: `o${index}` },
        }),
      ),
    );
    const theirs = await api("POST", `/api/rooms/${room.id}/messages`, {
      token: member.accessToken,
      body: { body: "my turn" },
    });
    expect(theirs.status).toBe(201);
  });
});

describe("reading history", () => {
  it("answers an empty room with no messages and nothing more", async () => {
    const { room, owner } = await pair();
    expect(await history(owner.accessToken, room.id)).toEqual({ messages: [], hasMore: false });
  });

  it("gives the newest page without a cursor, in ascending seq", async () => {
    const { room, owner, member } = await pair();
    await sendMany(owner, room.id, 7);
    const newest = await history(member.accessToken, room.id, "?limit=3");
    expect(seqs(newest.messages)).toEqual([5, 6, 7]);
    expect(newest.hasMore).toBe(true);
    const all = await history(member.accessToken, room.id);
    expect(seqs(all.messages)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all.hasMore).toBe(false);
    const exact = await history(member.accessToken, room.id, "?limit=7");
    expect(exact.hasMore).toBe(false);
    expect(all.messages.map((message) => message.body)).toEqual(["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
  });

  it("pages back with before, hasMore telling whether older messages exist", async () => {
    const { room, member, owner } = await pair();
    await sendMany(owner, room.id, 7);
    const page = await history(member.accessToken, room.id, "?before=5&limit=3");
    expect(seqs(page.messages)).toEqual([2, 3, 4]);
    expect(page.hasMore).toBe(true);
    const last = await history(member.accessToken, room.id, "?before=2&limit=3");
    expect(seqs(last.messages)).toEqual([1]);
    expect(last.hasMore).toBe(false);
    const exactly = await history(member.accessToken, room.id, "?before=4&limit=3");
    expect(seqs(exactly.messages)).toEqual([1, 2, 3]);
    expect(exactly.hasMore).toBe(false);
    expect(await history(member.accessToken, room.id, "?before=1")).toEqual({ messages: [], hasMore: false });
  });

  it("pages forward with after, hasMore telling whether newer messages exist", async () => {
    const { room, member, owner } = await pair();
    await sendMany(owner, room.id, 7);
    const page = await history(member.accessToken, room.id, "?after=2&limit=3");
    expect(seqs(page.messages)).toEqual([3, 4, 5]);
    expect(page.hasMore).toBe(true);
    const end = await history(member.accessToken, room.id, "?after=4&limit=3");
    expect(seqs(end.messages)).toEqual([5, 6, 7]);
    expect(end.hasMore).toBe(false);
    expect(await history(member.accessToken, room.id, "?after=7")).toEqual({ messages: [], hasMore: false });
    const fromStart = await history(member.accessToken, room.id, "?after=0&limit=2");
    expect(seqs(fromStart.messages)).toEqual([1, 2]);
    expect(fromStart.hasMore).toBe(true);
  });

  it("defaults to 50 messages and allows up to 100", async () => {
    const { room, owner, member } = await pair();
    // More than one sender's burst: the room is filled by both people, within their limits.
    await Promise.all([
      ...Array.from({ length: 20 }, (_, index) => send(owner.accessToken, room.id, `o${index}`)),
      ...Array.from({ length: 20 }, (_, index) => send(member.accessToken, room.id, `m${index}`)),
    ]);
    const third = await signUp();
    await addMember(owner.accessToken, room.id, third.user.id);
    await Promise.all(
      Array.from({ length: 15 }, (_, index) => send(third.accessToken, room.id, `t${index}`)),
    );
    const byDefault = await history(owner.accessToken, room.id);
    expect(seqs(byDefault.messages)).toEqual(Array.from({ length: 50 }, (_, index) => index + 6));
    expect(byDefault.hasMore).toBe(true);
    const most = await history(owner.accessToken, room.id, "?limit=100");
    expect(most.messages).toHaveLength(55);
    expect(most.hasMore).toBe(false);
  });

  it.each([
    ["limit=0", /^limit:/],
    ["limit=101", /^limit:/],
    ["limit=ten", /^limit:/],
    ["before=-1", /^before:/],
    ["before=3&after=1", /before/],
  ])("refuses ?%s with 400", async (query, field) => {
    const { room, owner } = await pair();
    const response = await api("GET", `/api/rooms/${room.id}/messages?${query}`, {
      token: owner.accessToken,
    });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("invalid_request");
    expect(errorOf(response).message).toMatch(field);
  });
});

describe("editing a message", () => {
  it("lets its author edit it: same seq, new body, editedAt set, and the room hears of it", async () => {
    const { room, owner, member } = await pair();
    const original = await send(member.accessToken, room.id, "teh typo");
    const watcher = await roomSocket(room.id, owner.accessToken);
    await watcher.next("welcome");
    const edited = await api<Message>("PATCH", `/api/rooms/${room.id}/messages/${original.seq}`, {
      token: member.accessToken,
      body: { body: "the typo" },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      id: original.id,
      seq: original.seq,
      userId: member.user.id,
      body: "the typo",
      createdAt: original.createdAt,
      deletedAt: null,
    });
    expect(edited.body.editedAt).toEqual(expect.any(String));
    expect(Date.parse(edited.body.editedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(original.createdAt));
    const frame = await watcher.next("message_updated");
    expect(frame.message).toEqual(edited.body);
    expect((await history(owner.accessToken, room.id)).messages).toEqual([edited.body]);
  });

  it("refuses anyone else, even the owner (403), and changes nothing", async () => {
    const { room, owner, admin, member } = await roomWithCast("private");
    const original = await send(member.accessToken, room.id, "mine");
    for (const other of [owner, admin]) {
      const response = await api("PATCH", `/api/rooms/${room.id}/messages/${original.seq}`, {
        token: other.accessToken,
        body: { body: "not yours" },
      });
      expect(response.status).toBe(403);
      expect(errorOf(response).code).toBe("forbidden");
    }
    expect((await history(owner.accessToken, room.id)).messages).toEqual([original]);
  });

  it("refuses a deleted message (409), an unknown seq (404) and an empty body (400)", async () => {
    const { room, owner } = await pair();
    const message = await send(owner.accessToken, room.id, "bye");
    await api("DELETE", `/api/rooms/${room.id}/messages/${message.seq}`, { token: owner.accessToken });
    const deleted = await api("PATCH", `/api/rooms/${room.id}/messages/${message.seq}`, {
      token: owner.accessToken,
      body: { body: "back from the dead" },
    });
    expect(deleted.status).toBe(409);
    expect(errorOf(deleted).code).toBe("conflict");
    expect((await history(owner.accessToken, room.id)).messages[0]).toMatchObject({
      body: "",
      editedAt: null,
    });
    const unknown = await api("PATCH", `/api/rooms/${room.id}/messages/99`, {
      token: owner.accessToken,
      body: { body: "x" },
    });
    expect(unknown.status).toBe(404);
    const live = await send(owner.accessToken, room.id, "still here");
    const blank = await api("PATCH", `/api/rooms/${room.id}/messages/${live.seq}`, {
      token: owner.accessToken,
      body: { body: "  " },
    });
    expect(blank.status).toBe(400);
    expect(errorOf(blank).message).toMatch(/^body:/);
  });
});

describe("deleting a message", () => {
  it("leaves a tombstone that keeps its seq, and the seq is never reused", async () => {
    const { room, owner, member } = await pair();
    await send(member.accessToken, room.id, "one");
    const doomed = await send(member.accessToken, room.id, "two");
    const watcher = await roomSocket(room.id, owner.accessToken);
    await watcher.next("welcome");
    const response = await api<Message>("DELETE", `/api/rooms/${room.id}/messages/${doomed.seq}`, {
      token: member.accessToken,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: doomed.id, seq: 2, userId: member.user.id, body: "" });
    expect(response.body.deletedAt).toEqual(expect.any(String));
    expect((await watcher.next("message_updated")).message).toEqual(response.body);
    const next = await send(member.accessToken, room.id, "three");
    expect(next.seq).toBe(3);
    const page = await history(owner.accessToken, room.id);
    expect(page.messages.map((message) => [message.seq, message.body])).toEqual([
      [1, "one"],
      [2, ""],
      [3, "three"],
    ]);
  });

  it("lets the owner and admins delete anyone's message", async () => {
    const { room, owner, admin, member } = await roomWithCast("public");
    const first = await send(member.accessToken, room.id, "first");
    const second = await send(owner.accessToken, room.id, "second");
    const byOwner = await api<Message>("DELETE", `/api/rooms/${room.id}/messages/${first.seq}`, {
      token: owner.accessToken,
    });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.deletedAt).not.toBeNull();
    const byAdmin = await api<Message>("DELETE", `/api/rooms/${room.id}/messages/${second.seq}`, {
      token: admin.accessToken,
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body).toMatchObject({ body: "", userId: owner.user.id });
  });

  it("refuses a plain member deleting someone else's message (403), keeping it intact", async () => {
    const { room, owner, member } = await roomWithCast("private");
    const message = await send(owner.accessToken, room.id, "the owner's");
    const response = await api("DELETE", `/api/rooms/${room.id}/messages/${message.seq}`, {
      token: member.accessToken,
    });
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe("forbidden");
    expect((await history(member.accessToken, room.id)).messages).toEqual([message]);
  });

  it("answers 404 for a seq that does not exist", async () => {
    const { room, owner } = await pair();
    const response = await api("DELETE", `/api/rooms/${room.id}/messages/1`, { token: owner.accessToken });
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe("not_found");
  });
});

describe("the read marker", () => {
  async function bobsSummary(token: string, roomId: string, check: (lastReadSeq: number) => void) {
    return eventually(
      async () => {
        const room = (await myRooms(token)).find((item) => item.id === roomId);
        check(room?.lastReadSeq ?? -1);
        return room;
      },
      { roomId },
    );
  }

  it("moves forward and answers 204, and the unread count follows", async () => {
    const { room, owner, member } = await pair();
    await sendMany(owner, room.id, 5);
    const read = await api("POST", `/api/rooms/${room.id}/read`, {
      token: member.accessToken,
      body: { seq: 3 },
    });
    expect(read.status).toBe(204);
    const summary = await bobsSummary(member.accessToken, room.id, (seq) => expect(seq).toBe(3));
    expect(summary).toMatchObject({ lastReadSeq: 3, unreadCount: 2 });
  });

  it("never moves back", async () => {
    const { room, owner, member } = await pair();
    await sendMany(owner, room.id, 5);
    await api("POST", `/api/rooms/${room.id}/read`, { token: member.accessToken, body: { seq: 4 } });
    await bobsSummary(member.accessToken, room.id, (seq) => expect(seq).toBe(4));
    const back = await api("POST", `/api/rooms/${room.id}/read`, {
      token: member.accessToken,
      body: { seq: 1 },
    });
    expect(back.status).toBe(204);
    // A later message makes the room flush again; the marker must still be 4.
    await send(owner.accessToken, room.id, "six");
    const summary = await eventually(
      async () => {
        const item = (await myRooms(member.accessToken)).find((entry) => entry.id === room.id);
        expect(item?.lastMessage?.seq).toBe(6);
        return item;
      },
      { roomId: room.id },
    );
    expect(summary).toMatchObject({ lastReadSeq: 4, unreadCount: 2 });
  });

  it("never moves past the last message", async () => {
    const { room, owner, member } = await pair();
    await sendMany(owner, room.id, 2);
    await api("POST", `/api/rooms/${room.id}/read`, { token: member.accessToken, body: { seq: 99 } });
    const summary = await bobsSummary(member.accessToken, room.id, (seq) => expect(seq).toBeGreaterThan(0));
    expect(summary).toMatchObject({ lastReadSeq: 2, unreadCount: 0 });
    // So what arrives later is unread.
    await send(owner.accessToken, room.id, "new");
    const later = await eventually(
      async () => {
        const item = (await myRooms(member.accessToken)).find((entry) => entry.id === room.id);
        expect(item?.unreadCount).toBe(1);
        return item;
      },
      { roomId: room.id },
    );
    expect(later?.lastReadSeq).toBe(2);
  });

  it("refuses a seq that is not a whole number of 0 or more", async () => {
    const { room, member } = await pair();
    for (const seq of [-1, 1.5, "3"]) {
      const response = await api("POST", `/api/rooms/${room.id}/read`, {
        token: member.accessToken,
        body: { seq },
      });
      expect(response.status, JSON.stringify(seq)).toBe(400);
      expect(errorOf(response).message).toMatch(/^seq:/);
    }
  });
});

describe("a room restarted on the same storage", () => {
  it("keeps its history, continues its seq and still recognises a repeated clientId", async () => {
    const { room, owner, member } = await pair();
    await send(owner.accessToken, room.id, "before one", "k-1");
    const second = await send(member.accessToken, room.id, "before two", "k-2");
    await api("POST", `/api/rooms/${room.id}/read`, { token: member.accessToken, body: { seq: 2 } });
    await evictDurableObject(roomStub(room.id));

    expect((await history(member.accessToken, room.id)).messages.map((message) => message.body)).toEqual([
      "before one",
      "before two",
    ]);
    const repeat = await api<Message>("POST", `/api/rooms/${room.id}/messages`, {
      token: member.accessToken,
      body: { body: "retried after the restart", clientId: "k-2" },
    });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(second);
    const next = await send(owner.accessToken, room.id, "after", "k-3");
    expect(next.seq).toBe(3);

    // Receipts are still there too: a newcomer's welcome carries the member's read marker.
    const socket = await roomSocket(room.id, owner.accessToken);
    const welcome = await socket.next("welcome");
    expect(welcome.lastSeq).toBe(3);
    expect(welcome.receipts).toContainEqual({ userId: member.user.id, deliveredSeq: 2, readSeq: 2 });
  });

  it("flushes its summary after a restart", async () => {
    const { room, owner, member } = await pair();
    await send(owner.accessToken, room.id, "one");
    await evictDurableObject(roomStub(room.id));
    await send(owner.accessToken, room.id, "two");
    const summary = await eventually(
      async () => {
        const item = (await myRooms(member.accessToken)).find((entry) => entry.id === room.id);
        expect(item?.lastMessage?.seq).toBe(2);
        return item;
      },
      { roomId: room.id },
    );
    expect(summary).toMatchObject({ unreadCount: 2, lastMessage: { body: "two", userId: owner.user.id } });
  });
});

describe("the room list's view of a room", () => {
  async function summaryOf(token: string, roomId: string, check: (room: RoomSummary | undefined) => void) {
    return eventually(
      async () => {
        const room = (await myRooms(token)).find((item) => item.id === roomId);
        check(room);
        return room as RoomSummary;
      },
      { roomId },
    );
  }

  it("shows the last message as edited, and as deleted", async () => {
    const { room, owner, member } = await pair();
    await send(owner.accessToken, room.id, "first");
    const last = await send(owner.accessToken, room.id, "draft");
    await summaryOf(member.accessToken, room.id, (item) => expect(item?.lastMessage?.body).toBe("draft"));
    await api("PATCH", `/api/rooms/${room.id}/messages/${last.seq}`, {
      token: owner.accessToken,
      body: { body: "final" },
    });
    const edited = await summaryOf(member.accessToken, room.id, (item) =>
      expect(item?.lastMessage?.body).toBe("final"),
    );
    expect(edited.lastMessage).toMatchObject({ seq: 2, userId: owner.user.id });
    await api("DELETE", `/api/rooms/${room.id}/messages/${last.seq}`, { token: owner.accessToken });
    await summaryOf(member.accessToken, room.id, (item) => expect(item?.lastMessage?.body).toBe(""));
  });

  it("catches up with a message that arrives while the room is writing its summary", async () => {
    const { room, owner, member } = await pair();
    const caller = { roomId: room.id, userId: owner.user.id, role: "owner" as const };
    const stub = roomStub(room.id);
    // Send, and take the room's alarm over so that it runs exactly when this test says.
    const due = await runInDurableObject(stub, async (instance: Room, state) => {
      await instance.sendMessage(caller, { body: "one", clientId: null });
      const at = await state.storage.getAlarm();
      await state.storage.deleteAlarm();
      return at;
    });
    expect(due).toEqual(expect.any(Number));
    await eventually(() => expect(Date.now()).toBeGreaterThan(due ?? 0));
    await runInDurableObject(stub, async (instance: Room) => {
      // The alarm writes the summary to D1; a message arrives before that write has finished.
      const flushing = instance.alarm();
      const sending = instance.sendMessage(caller, { body: "two", clientId: null });
      await Promise.all([flushing, sending]);
    });
    const summary = await summaryOf(member.accessToken, room.id, (item) =>
      expect(item?.lastMessage?.seq).toBe(2),
    );
    expect(summary).toMatchObject({ unreadCount: 2, lastMessage: { body: "two" } });
  });
});
