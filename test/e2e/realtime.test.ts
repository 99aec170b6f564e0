import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../../worker/protocol/messages.ts";
import { fixturesAt, openSocket } from "../shared/node-client.ts";
import { call, startTestServer, type TestServer } from "./server.ts";

// Two people chat through a real `wrangler dev`, with `ws` clients as wscat would connect.

let server: TestServer;
const { signUp } = fixturesAt(() => server.url);

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.dispose();
});

describe("chatting through wrangler dev", () => {
  it("two users chat live; one drops, misses messages, and resumes with since= getting each exactly once", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const opened = await call(server, "POST", "/api/rooms/direct", {
      token: alice.accessToken,
      body: { userId: bob.user.id },
    });
    expect(opened.status).toBe(201);
    const roomId = String(opened.body?.id);
    const socketUrl = (token: string, since?: number) =>
      `${server.url.replace("http", "ws")}/api/rooms/${roomId}/ws?token=${token}${since === undefined ? "" : `&since=${since}`}`;

    const aliceSocket = await openSocket(socketUrl(alice.accessToken));
    const bobSocket = await openSocket(socketUrl(bob.accessToken, 0));
    // The welcome may still be on its way when "open" resolves: wait for it, then check it came first.
    await aliceSocket.next("welcome");
    expect(aliceSocket.frames[0]?.type).toBe("welcome");
    await aliceSocket.next("presence", (frame) => frame.userId === bob.user.id && frame.online);

    aliceSocket.send({ type: "message", body: "Hi Bob!", clientId: "a-1" });
    const atBob = await bobSocket.next("message");
    expect(atBob.message).toMatchObject({ seq: 1, body: "Hi Bob!", userId: alice.user.id });
    const confirmed = await aliceSocket.next("message", (frame) => frame.message.clientId === "a-1");
    expect(confirmed).toMatchObject({ message: { seq: 1 } });

    bobSocket.send({ type: "typing", typing: true });
    await aliceSocket.next("typing", (frame) => frame.userId === bob.user.id && frame.typing);
    bobSocket.send({ type: "message", body: "Hello Alice", clientId: "b-1" });
    await aliceSocket.next("message", (frame) => frame.message.seq === 2);
    bobSocket.send({ type: "read", seq: 2 });
    await aliceSocket.next("receipt", (frame) => frame.userId === bob.user.id && frame.readSeq === 2);

    // Bob drops; Alice sends three messages (one over REST) while he is away.
    bobSocket.ws.terminate();
    await aliceSocket.next("presence", (frame) => frame.userId === bob.user.id && !frame.online);
    aliceSocket.send({ type: "message", body: "you there?", clientId: "a-2" });
    aliceSocket.send({ type: "message", body: "hello?", clientId: "a-3" });
    await aliceSocket.next("message", (frame) => frame.message.seq === 4);
    const overRest = await call(server, "POST", `/api/rooms/${roomId}/messages`, {
      token: alice.accessToken,
      body: { body: "sent with curl", clientId: "a-4" },
    });
    expect(overRest.status).toBe(201);

    // Bob resumes from the last seq he saw, then a live message follows.
    const resumed = await openSocket(socketUrl(bob.accessToken, 2));
    await resumed.next("message", (frame) => frame.message.seq === 5);
    aliceSocket.send({ type: "message", body: "welcome back", clientId: "a-5" });
    await resumed.next("message", (frame) => frame.message.seq === 6);
    const seqs = resumed.all("message").map((frame) => frame.message.seq);
    expect(seqs).toEqual([3, 4, 5, 6]);
    expect(resumed.frames[0]).toMatchObject({ type: "welcome", lastSeq: 5 });

    // A resend of an unconfirmed message with the same clientId is not duplicated.
    resumed.send({ type: "message", body: "Hello Alice", clientId: "b-1" });
    const repeat = await resumed.next("message", (frame) => frame.message.clientId === "b-1");
    expect(repeat).toMatchObject({ message: { seq: 2 } });
    const history = await call(server, "GET", `/api/rooms/${roomId}/messages`, { token: bob.accessToken });
    const stored = (history.body as { messages: Message[] }).messages;
    expect(stored.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5, 6]);

    await aliceSocket.close();
    await resumed.close();
  });

  it("refuses a bad token with 401 before the upgrade, and an outsider with 404", async () => {
    const owner = await signUp("owner1");
    const outsider = await signUp("outsider1");
    const room = await call(server, "POST", "/api/rooms", {
      token: owner.accessToken,
      body: { name: "secret", kind: "private" },
    });
    const base = `${server.url.replace("http", "ws")}/api/rooms/${room.body?.id}/ws`;
    await expect(openSocket(`${base}?token=not-a-token`)).rejects.toThrow("HTTP 401");
    await expect(openSocket(`${base}?token=${outsider.accessToken}`)).rejects.toThrow("HTTP 404");
  });

  it("keeps the room list live on the user's own channel", async () => {
    const carol = await signUp("carol");
    const dave = await signUp("dave");
    const channel = await openSocket(`${server.url.replace("http", "ws")}/api/ws?token=${dave.accessToken}`);
    const opened = await call(server, "POST", "/api/rooms/direct", {
      token: carol.accessToken,
      body: { userId: dave.user.id },
    });
    const roomId = String(opened.body?.id);
    await channel.next("room_added", (frame) => frame.room.id === roomId);
    await call(server, "POST", `/api/rooms/${roomId}/messages`, {
      token: carol.accessToken,
      body: { body: "ping from carol" },
    });
    const updated = await channel.next(
      "room_updated",
      (frame) => frame.room.id === roomId && frame.room.unreadCount === 1,
    );
    expect(updated).toMatchObject({
      room: { lastMessage: { body: "ping from carol" }, peer: { id: carol.user.id } },
    });
    const profile = await call(server, "GET", `/api/users/${dave.user.id}`, { token: carol.accessToken });
    expect(profile.body).toMatchObject({ online: true });
    await channel.close();
    await channel.closed;
  });
});
