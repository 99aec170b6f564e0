import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import {
  addMember,
  api,
  closeAllSockets,
  createRoom,
  errorOf,
  history,
  PASSWORD,
  type RoomDetail,
  roomSocket,
  type SignedIn,
  send,
  signUp,
  uniqueName,
  userSocket,
} from "./helpers";

// DELETE /api/users/me (API.md "Moderation and accounts"): sessions revoked and sockets closed
// (4001); the profile becomes "Deleted user", its username free again after 30 days; messages stay,
// attributed to it; owned rooms pass on as when leaving, and the account leaves every room.

afterEach(closeAllSockets);

function deleteAccount(who: SignedIn, password = PASSWORD) {
  return api("DELETE", "/api/users/me", { token: who.accessToken, body: { password } });
}

describe("deleting your account", () => {
  it("needs your password: 403 when it is wrong, and nothing changes", async () => {
    const me = await signUp();
    const wrong = await deleteAccount(me, "not my password");
    expect(wrong.status).toBe(403);
    expect(errorOf(wrong).code).toBe("forbidden");
    expect((await api("GET", "/api/users/me", { token: me.accessToken })).status).toBe(200);
  });

  it("ends every session and closes every socket with 4001", async () => {
    const me = await signUp();
    const elsewhere = await api<SignedIn>("POST", "/api/auth/login", {
      body: { username: me.user.username, password: PASSWORD },
    });
    const room = await createRoom(me.accessToken, { kind: "private" });
    const sockets = [
      await roomSocket(room.id, me.accessToken),
      await roomSocket(room.id, elsewhere.body.accessToken),
      await userSocket(me.accessToken),
      await userSocket(elsewhere.body.accessToken),
    ];
    for (const socket of sockets.slice(0, 2)) await socket.next("welcome");
    expect((await deleteAccount(me)).status).toBe(204);
    for (const socket of sockets) expect((await socket.closed).code).toBe(4001);
    for (const refreshToken of [me.refreshToken, elsewhere.body.refreshToken])
      expect((await api("POST", "/api/auth/refresh", { body: { refreshToken } })).status).toBe(401);
    const signIn = await api("POST", "/api/auth/login", {
      body: { username: me.user.username, password: PASSWORD },
    });
    expect(signIn.status).toBe(401);
  });

  it("leaves a Deleted user whose messages stay, attributed to it", async () => {
    const [me, friend] = await Promise.all([signUp(), signUp()]);
    const room = await createRoom(friend.accessToken, { kind: "private" });
    await addMember(friend.accessToken, room.id, me.user.id);
    const said = await send(me.accessToken, room.id, "I was here");
    expect((await deleteAccount(me)).status).toBe(204);
    const page = await history(friend.accessToken, room.id);
    expect(page.messages.find((message) => message.seq === said.seq)).toMatchObject({
      userId: me.user.id,
      body: "I was here",
    });
    const profile = await api("GET", `/api/users/${me.user.id}`, { token: friend.accessToken });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      id: me.user.id,
      displayName: "Deleted user",
      bio: "",
      online: false,
    });
    expect(profile.body.username).not.toBe(me.user.username);
    // Nobody finds it, or opens a direct room with it, any more.
    const search = await api<{ users: unknown[] }>("GET", `/api/users?q=${me.user.username}`, {
      token: friend.accessToken,
    });
    expect(search.body.users).toEqual([]);
    const direct = await api("POST", "/api/rooms/direct", {
      token: friend.accessToken,
      body: { userId: me.user.id },
    });
    expect(direct.status).toBe(404);
  });

  it("passes owned rooms on as when leaving, deletes the ones left empty, and leaves every room", async () => {
    const [me, admin, member] = await Promise.all([signUp(), signUp(), signUp()]);
    const shared = await createRoom(me.accessToken, { kind: "public" });
    await addMember(me.accessToken, shared.id, member.user.id);
    await addMember(me.accessToken, shared.id, admin.user.id, "admin");
    const alone = await createRoom(me.accessToken, { kind: "private" });
    const theirs = await createRoom(member.accessToken, { kind: "private" });
    await addMember(member.accessToken, theirs.id, me.user.id);
    const watching = await roomSocket(shared.id, member.accessToken);
    await watching.next("welcome");

    expect((await deleteAccount(me)).status).toBe(204);

    // The admin (before the longer-standing member: role first, then seniority) owns it now.
    const after = await api<RoomDetail>("GET", `/api/rooms/${shared.id}`, { token: member.accessToken });
    expect(after.body.members.map(({ userId, role }) => ({ userId, role }))).toEqual([
      { userId: admin.user.id, role: "owner" },
      { userId: member.user.id, role: "member" },
    ]);
    const left = await watching.next("member", (frame) => frame.change === "left");
    expect(left.member).toMatchObject({ userId: me.user.id, displayName: "Deleted user" });
    const heir = await watching.next("member", (frame) => frame.member.userId === admin.user.id);
    expect(heir).toMatchObject({ change: "updated", member: { role: "owner" } });
    // A room with nobody else in it is gone.
    expect((await api("GET", `/api/rooms/${alone.id}`, { token: admin.accessToken })).status).toBe(404);
    const other = await api<RoomDetail>("GET", `/api/rooms/${theirs.id}`, { token: member.accessToken });
    expect(other.body.members.map((item) => item.userId)).toEqual([member.user.id]);
  });

  it("keeps the username (and its look-alikes) from others for 30 days, then frees it", async () => {
    const username = uniqueName("gone");
    const me = await signUp(username);
    expect((await deleteAccount(me)).status).toBe(204);
    const register = (name: string) =>
      api<SignedIn>("POST", "/api/auth/register", { body: { username: name, password: PASSWORD } });
    const tooSoon = await register(username);
    expect(tooSoon.status).toBe(409);
    expect((await register(username.toUpperCase())).status).toBe(409);
    // As if 30 days had passed since the deletion.
    const thirtyDaysAgo = Date.now() - 30 * 24 * 60 * 60 * 1000 - 1000;
    await env.DB.prepare("UPDATE users SET deleted_at = ? WHERE id = ?")
      .bind(thirtyDaysAgo, me.user.id)
      .run();
    const again = await register(username);
    expect(again.status).toBe(201);
    expect(again.body.user.id).not.toBe(me.user.id);
    // The new owner signs in with it; the deleted account's row is still there for its messages.
    const signIn = await api("POST", "/api/auth/login", { body: { username, password: PASSWORD } });
    expect((signIn.body as SignedIn).user.id).toBe(again.body.user.id);
    const row = await env.DB.prepare("SELECT display_name AS name FROM users WHERE id = ?")
      .bind(me.user.id)
      .first<{ name: string }>();
    expect(row?.name).toBe("Deleted user");
  });
});
