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
  myRooms,
  privatePair,
  roomSocket,
  roomWithCast,
  send,
  signUp,
  userSocket,
} from "./helpers";

// A conversation (API.md "Messages, extended"): reactions, threads, quotes, jumping to a message,
// mentions and notification levels, pins.

afterEach(closeAllSockets);

const react = (token: string, roomId: string, seq: number, emoji: string, on = true) =>
  api(on ? "PUT" : "DELETE", `/api/rooms/${roomId}/messages/${seq}/reactions/${encodeURIComponent(emoji)}`, {
    token,
  });

async function sendTo(token: string, roomId: string, body: Record<string, unknown>): Promise<Message> {
  const response = await api<Message>("POST", `/api/rooms/${roomId}/messages`, { token, body });
  if (response.status !== 201)
    throw new Error(`send failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

describe("reactions", () => {
  it("adds and removes idempotently, live for everyone, and counts per emoji in first-reaction order", async () => {
    const { room, owner, member } = await privatePair();
    const message = await send(owner.accessToken, room.id, "lunch?");
    const watching = await roomSocket(room.id, owner.accessToken);
    await watching.next("welcome");
    expect((await react(member.accessToken, room.id, message.seq, "👍")).status).toBe(204);
    expect((await react(member.accessToken, room.id, message.seq, "👍")).status).toBe(204);
    expect((await react(owner.accessToken, room.id, message.seq, "🎉")).status).toBe(204);
    expect((await react(owner.accessToken, room.id, message.seq, "👍")).status).toBe(204);
    await watching.sync();
    expect(watching.all("reaction").map((frame) => [frame.userId, frame.emoji, frame.on])).toEqual([
      [member.user.id, "👍", true],
      [owner.user.id, "🎉", true],
      [owner.user.id, "👍", true],
    ]);
    const page = await history(owner.accessToken, room.id);
    expect(page.messages[0]?.reactions).toEqual([
      { emoji: "👍", count: 2, userIds: [member.user.id, owner.user.id] },
      { emoji: "🎉", count: 1, userIds: [owner.user.id] },
    ]);
    expect((await react(member.accessToken, room.id, message.seq, "👍", false)).status).toBe(204);
    expect((await react(member.accessToken, room.id, message.seq, "👍", false)).status).toBe(204);
    // First-reaction order is of the reactions that remain: Ann's 🎉 now comes before her 👍.
    expect((await history(owner.accessToken, room.id)).messages[0]?.reactions).toEqual([
      { emoji: "🎉", count: 1, userIds: [owner.user.id] },
      { emoji: "👍", count: 1, userIds: [owner.user.id] },
    ]);
  });

  it("takes react frames over the socket too", async () => {
    const { room, owner, member } = await privatePair();
    const message = await send(owner.accessToken, room.id, "frame me");
    const members = await roomSocket(room.id, member.accessToken);
    members.send({ type: "react", seq: message.seq, emoji: "❤️", on: true });
    expect(await members.next("reaction")).toEqual({
      type: "reaction",
      seq: message.seq,
      userId: member.user.id,
      emoji: "❤️",
      on: true,
    });
    members.send({ type: "react", seq: message.seq, emoji: "a", on: true });
    expect(await members.next("error")).toMatchObject({ code: "invalid_request" });
  });

  it("refuses what is not one emoji, a 21st different emoji, a deleted message and a muted member", async () => {
    const { room, owner, member, admin } = await roomWithCast("private");
    const message = await send(owner.accessToken, room.id, "react away");
    for (const bad of ["a", "👍👍", "ok"]) {
      const refused = await react(member.accessToken, room.id, message.seq, bad);
      expect(refused.status).toBe(400);
    }
    const twenty = [..."😀😃😄😁😆😅😂🤣😊😇🙂🙃😉😌😍🥰😘😗😙😚"];
    for (const emoji of twenty)
      expect((await react(owner.accessToken, room.id, message.seq, emoji)).status).toBe(204);
    const more = await react(owner.accessToken, room.id, message.seq, "🤔");
    expect(more.status).toBe(400);
    expect(errorOf(more).message).toMatch(/20/);
    // An emoji already there is still fine for someone else.
    expect((await react(member.accessToken, room.id, message.seq, "😀")).status).toBe(204);
    await api("POST", `/api/rooms/${room.id}/mutes`, {
      token: admin.accessToken,
      body: { userId: member.user.id, minutes: 5 },
    });
    expect((await react(member.accessToken, room.id, message.seq, "😃")).status).toBe(403);
    await api("DELETE", `/api/rooms/${room.id}/messages/${message.seq}`, { token: owner.accessToken });
    expect((await react(owner.accessToken, room.id, message.seq, "😃")).status).toBe(409);
  });
});

describe("threads", () => {
  it("keeps replies out of the main timeline, pages them with thread=, and moves the root's counters live", async () => {
    const { room, owner, member } = await privatePair();
    const root = await send(owner.accessToken, room.id, "Where shall we eat?");
    const watching = await roomSocket(room.id, owner.accessToken);
    await watching.next("welcome");
    const first = await sendTo(member.accessToken, room.id, { body: "Pizza", threadSeq: root.seq });
    await sendTo(owner.accessToken, room.id, { body: "Sushi", threadSeq: root.seq });
    expect(first.threadSeq).toBe(root.seq);
    const after = await send(owner.accessToken, room.id, "back in the room");
    const main = await history(owner.accessToken, room.id);
    expect(main.messages.map((message) => message.body)).toEqual(["Where shall we eat?", "back in the room"]);
    expect(main.messages[0]?.thread).toEqual({
      replyCount: 2,
      lastReplyAt: expect.any(String),
      participantIds: [member.user.id, owner.user.id],
    });
    const replies = await history(owner.accessToken, room.id, `?thread=${root.seq}&limit=1`);
    expect(replies.messages.map((message) => message.body)).toEqual(["Sushi"]);
    expect(replies.hasMore).toBe(true);
    const older = await history(
      owner.accessToken,
      room.id,
      `?thread=${root.seq}&before=${replies.messages[0]?.seq}`,
    );
    expect(older.messages.map((message) => message.body)).toEqual(["Pizza"]);
    // Live: each reply is a message, and the root's new counters come as message_updated.
    const updates = await watching.collect("message_updated", 2, (frame) => frame.message.seq === root.seq);
    expect(updates.map((frame) => frame.message.thread?.replyCount)).toEqual([1, 2]);
    // A resume covers replies (they have their own room seq).
    const resumed = await roomSocket(room.id, member.accessToken, root.seq);
    await resumed.next("message", (frame) => frame.message.seq === after.seq);
    expect(resumed.all("message").map((frame) => frame.message.body)).toEqual([
      "Pizza",
      "Sushi",
      "back in the room",
    ]);
  });

  it("refuses a thread under a reply (400) and under an unknown message (404)", async () => {
    const { room, owner } = await privatePair();
    const root = await send(owner.accessToken, room.id, "root");
    const reply = await sendTo(owner.accessToken, room.id, { body: "reply", threadSeq: root.seq });
    const nested = await api("POST", `/api/rooms/${room.id}/messages`, {
      token: owner.accessToken,
      body: { body: "deeper", threadSeq: reply.seq },
    });
    expect(nested.status).toBe(400);
    expect(errorOf(nested).message).toMatch(/^threadSeq/);
    const unknown = await api("POST", `/api/rooms/${room.id}/messages`, {
      token: owner.accessToken,
      body: { body: "nowhere", threadSeq: 999 },
    });
    expect(unknown.status).toBe(404);
  });

  it("leaves thread replies out of the room list's unread count and last message", async () => {
    const { room, owner, member } = await privatePair();
    const root = await send(owner.accessToken, room.id, "the main thing");
    await sendTo(owner.accessToken, room.id, { body: "a side note", threadSeq: root.seq });
    await sendTo(owner.accessToken, room.id, { body: "another side note", threadSeq: root.seq });
    const item = await eventually(
      async () => {
        const found = (await myRooms(member.accessToken)).find((each) => each.id === room.id);
        expect(found?.lastMessage?.body).toBe("the main thing");
        return found;
      },
      { roomId: room.id },
    );
    expect(item?.unreadCount).toBe(1);
  });
});

describe("quotes and jumping to a message", () => {
  it("quotes the first 200 characters, as the quoted message is now (edited, or deleted: empty)", async () => {
    const { room, owner, member } = await privatePair();
    const long = "x".repeat(250);
    const quoted = await send(owner.accessToken, room.id, long);
    const reply = await sendTo(member.accessToken, room.id, { body: "what?", replyTo: quoted.seq });
    expect(reply.replyTo).toEqual({ seq: quoted.seq, userId: owner.user.id, body: "x".repeat(200) });
    await api("PATCH", `/api/rooms/${room.id}/messages/${quoted.seq}`, {
      token: owner.accessToken,
      body: { body: "short now" },
    });
    const edited = await history(member.accessToken, room.id);
    expect(edited.messages.at(-1)?.replyTo?.body).toBe("short now");
    await api("DELETE", `/api/rooms/${room.id}/messages/${quoted.seq}`, { token: owner.accessToken });
    const deleted = await history(member.accessToken, room.id);
    expect(deleted.messages.at(-1)?.replyTo).toEqual({ seq: quoted.seq, userId: owner.user.id, body: "" });
    const unknown = await api("POST", `/api/rooms/${room.id}/messages`, {
      token: member.accessToken,
      body: { body: "quoting nothing", replyTo: 999 },
    });
    expect(unknown.status).toBe(404);
  });

  it("answers around=N with a page centred on N and says what lies either side", async () => {
    const { room, owner } = await privatePair();
    for (let index = 1; index <= 9; index++) await send(owner.accessToken, room.id, `m${index}`);
    const page = await api<{ messages: Message[]; hasMoreBefore: boolean; hasMoreAfter: boolean }>(
      "GET",
      `/api/rooms/${room.id}/messages?around=5&limit=3`,
      { token: owner.accessToken },
    );
    expect(page.status).toBe(200);
    expect(page.body.messages.map((message) => message.seq)).toEqual([4, 5, 6]);
    expect([page.body.hasMoreBefore, page.body.hasMoreAfter]).toEqual([true, true]);
    const edge = await api<{ messages: Message[]; hasMoreBefore: boolean; hasMoreAfter: boolean }>(
      "GET",
      `/api/rooms/${room.id}/messages?around=9&limit=5`,
      { token: owner.accessToken },
    );
    expect(edge.body.messages.map((message) => message.seq)).toEqual([7, 8, 9]);
    expect([edge.body.hasMoreBefore, edge.body.hasMoreAfter]).toEqual([true, false]);
    const mixed = await api("GET", `/api/rooms/${room.id}/messages?around=5&before=3`, {
      token: owner.accessToken,
    });
    expect(mixed.status).toBe(400);
  });
});

describe("mentions", () => {
  it("finds @username of members, tells them on their channel, and counts it until they read", async () => {
    const { room, owner, member, outsider } = await roomWithCast("private");
    const channel = await userSocket(member.accessToken);
    const message = await sendTo(owner.accessToken, room.id, {
      body: `hey @${member.user.username}, and @${outsider.user.username} (not in here), @nobody_at_all`,
    });
    expect(message.mentions).toEqual([member.user.id]);
    expect(message.body).toContain(`@${member.user.username}`);
    const frame = await channel.next("mention");
    expect(frame).toMatchObject({ type: "mention", roomId: room.id, message: { seq: message.seq } });
    const counted = await eventually(
      async () => {
        const item = (await myRooms(member.accessToken)).find((each) => each.id === room.id);
        expect(item?.mentionCount).toBe(1);
        return item;
      },
      { roomId: room.id },
    );
    expect(counted?.notify).toBe("all");
    await api("POST", `/api/rooms/${room.id}/read`, {
      token: member.accessToken,
      body: { seq: message.seq },
    });
    await eventually(
      async () => {
        const item = (await myRooms(member.accessToken)).find((each) => each.id === room.id);
        expect(item?.mentionCount).toBe(0);
      },
      { roomId: room.id },
    );
  });

  it("lets only owners and admins mention @room", async () => {
    const { room, owner, member, admin } = await roomWithCast("private");
    const fromMember = await sendTo(member.accessToken, room.id, { body: "@room look!" });
    expect(fromMember.mentions).toEqual([]);
    const fromAdmin = await sendTo(admin.accessToken, room.id, { body: "@room look!" });
    expect(new Set(fromAdmin.mentions)).toEqual(new Set([owner.user.id, admin.user.id, member.user.id]));
  });

  it("counts mentions in thread replies, and sends nothing to someone at level none or who blocked the author", async () => {
    const { room, owner, member, admin, outsider: other } = await roomWithCast("private");
    await addMember(owner.accessToken, room.id, other.user.id);
    const level = await api("PUT", `/api/rooms/${room.id}/notifications`, {
      token: member.accessToken,
      body: { level: "none" },
    });
    expect(level.status).toBe(204);
    expect(
      (
        await api("PUT", `/api/rooms/${room.id}/notifications`, {
          token: member.accessToken,
          body: { level: "loud" },
        })
      ).status,
    ).toBe(400);
    await api("POST", `/api/users/${owner.user.id}/block`, { token: admin.accessToken });
    const membersChannel = await userSocket(member.accessToken);
    const adminsChannel = await userSocket(admin.accessToken);
    const root = await send(owner.accessToken, room.id, "a root");
    await sendTo(owner.accessToken, room.id, {
      body: `@${member.user.username} @${admin.user.username} in a thread`,
      threadSeq: root.seq,
    });
    // A later mention from someone not blocked reaches the admin: the channel would have shown the first.
    await sendTo(other.accessToken, room.id, { body: `@${admin.user.username} ping` });
    const reached = await adminsChannel.next("mention");
    expect(reached.message.userId).toBe(other.user.id);
    await membersChannel.sync();
    expect(membersChannel.all("mention")).toEqual([]);
    await eventually(
      async () => {
        const item = (await myRooms(member.accessToken)).find((each) => each.id === room.id);
        expect(item).toMatchObject({ mentionCount: 1, notify: "none" });
      },
      { roomId: room.id },
    );
  });
});

describe("pins", () => {
  it("lets owners and admins pin, tells everyone, and lists pins newest first", async () => {
    const { room, owner, member } = await privatePair();
    const first = await send(owner.accessToken, room.id, "first");
    const second = await send(owner.accessToken, room.id, "second");
    const watching = await roomSocket(room.id, member.accessToken);
    await watching.next("welcome");
    expect(
      (await api("PUT", `/api/rooms/${room.id}/pins/${first.seq}`, { token: owner.accessToken })).status,
    ).toBe(204);
    expect(
      (await api("PUT", `/api/rooms/${room.id}/pins/${second.seq}`, { token: owner.accessToken })).status,
    ).toBe(204);
    const updated = await watching.next("message_updated", (frame) => frame.message.seq === first.seq);
    expect(updated.message).toMatchObject({ pinnedBy: owner.user.id, pinnedAt: expect.any(String) });
    const pins = await api<{ messages: Message[] }>("GET", `/api/rooms/${room.id}/pins`, {
      token: member.accessToken,
    });
    expect(pins.body.messages.map((message) => message.seq)).toEqual([second.seq, first.seq]);
    expect(
      (await api("PUT", `/api/rooms/${room.id}/pins/${first.seq}`, { token: member.accessToken })).status,
    ).toBe(403);
    expect(
      (await api("DELETE", `/api/rooms/${room.id}/pins/${first.seq}`, { token: owner.accessToken })).status,
    ).toBe(204);
    const after = await api<{ messages: Message[] }>("GET", `/api/rooms/${room.id}/pins`, {
      token: member.accessToken,
    });
    expect(after.body.messages.map((message) => message.seq)).toEqual([second.seq]);
    expect((await api("PUT", `/api/rooms/${room.id}/pins/99`, { token: owner.accessToken })).status).toBe(
      404,
    );
  });

  it("lets either person pin in a direct room", async () => {
    const [ann, ben] = await Promise.all([signUp(), signUp()]);
    const opened = await api<{ id: string }>("POST", "/api/rooms/direct", {
      token: ann.accessToken,
      body: { userId: ben.user.id },
    });
    const message = await send(ann.accessToken, opened.body.id, "remember this");
    expect(
      (await api("PUT", `/api/rooms/${opened.body.id}/pins/${message.seq}`, { token: ben.accessToken }))
        .status,
    ).toBe(204);
  });

  it("keeps a group room's member from pinning even with a room made by someone else", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken, { kind: "public" });
    const joiner = await signUp();
    await addMember(owner.accessToken, room.id, joiner.user.id);
    const message = await send(owner.accessToken, room.id, "pin me");
    expect(
      (await api("PUT", `/api/rooms/${room.id}/pins/${message.seq}`, { token: joiner.accessToken })).status,
    ).toBe(403);
  });
});
