import { afterEach, describe, expect, it } from "vitest";
import {
  addMember,
  api,
  closeAllSockets,
  createRoom,
  roomSocket,
  roomWithCast,
  signUp,
  type TestSocket,
} from "./helpers";

// The member list on everyone's screen follows the room as it changes, without a reload: `member`
// frames for joins, additions, leaves, removals and profile changes (API.md "Real time, extended").

afterEach(closeAllSockets);

async function watching(roomId: string, token: string): Promise<TestSocket> {
  const socket = await roomSocket(roomId, token);
  await socket.next("welcome");
  return socket;
}

describe("the live member list", () => {
  it("tells the room when someone joins a public room, with their name and role", async () => {
    const [owner, newcomer] = await Promise.all([signUp(), signUp()]);
    const room = await createRoom(owner.accessToken, { kind: "public" });
    const owners = await watching(room.id, owner.accessToken);
    const joined = await api("POST", `/api/rooms/${room.id}/join`, { token: newcomer.accessToken });
    expect(joined.status).toBe(200);
    const frame = await owners.next("member");
    expect(frame).toEqual({
      type: "member",
      change: "joined",
      member: {
        userId: newcomer.user.id,
        username: newcomer.user.username,
        displayName: newcomer.user.displayName,
        role: "member",
        avatarUrl: null,
      },
    });
    // Joining again changes nothing, so nothing is announced.
    await api("POST", `/api/rooms/${room.id}/join`, { token: newcomer.accessToken });
    await owners.sync();
    expect(owners.all("member")).toHaveLength(1);
  });

  it("tells the room when someone is added, leaves or is removed", async () => {
    const { room, owner, member, outsider } = await roomWithCast("private");
    const owners = await watching(room.id, owner.accessToken);
    await addMember(owner.accessToken, room.id, outsider.user.id);
    expect(await owners.next("member", (frame) => frame.member.userId === outsider.user.id)).toMatchObject({
      change: "joined",
      member: { role: "member" },
    });
    await api("POST", `/api/rooms/${room.id}/leave`, { token: outsider.accessToken });
    await owners.next(
      "member",
      (frame) => frame.member.userId === outsider.user.id && frame.change === "left",
    );
    await api("DELETE", `/api/rooms/${room.id}/members/${member.user.id}`, { token: owner.accessToken });
    expect(await owners.next("member", (frame) => frame.member.userId === member.user.id)).toMatchObject({
      change: "left",
      member: { username: member.user.username },
    });
  });

  it("shows the new owner when the owner leaves", async () => {
    const { room, owner, admin } = await roomWithCast("private");
    const admins = await watching(room.id, admin.accessToken);
    await api("POST", `/api/rooms/${room.id}/leave`, { token: owner.accessToken });
    await admins.next("member", (frame) => frame.member.userId === owner.user.id && frame.change === "left");
    expect(await admins.next("member", (frame) => frame.member.userId === admin.user.id)).toMatchObject({
      change: "updated",
      member: { role: "owner" },
    });
  });

  it("shows a new display name in every room of that person", async () => {
    const { room, owner, member } = await roomWithCast("private");
    const other = await createRoom(member.accessToken, { kind: "public" });
    const inFirst = await watching(room.id, owner.accessToken);
    const inSecond = await watching(other.id, member.accessToken);
    const renamed = await api("PATCH", "/api/users/me", {
      token: member.accessToken,
      body: { displayName: "Bea the Bold" },
    });
    expect(renamed.status).toBe(200);
    for (const socket of [inFirst, inSecond]) {
      expect(await socket.next("member")).toMatchObject({
        change: "updated",
        member: { userId: member.user.id, displayName: "Bea the Bold" },
      });
    }
    expect((await inFirst.next("member")).member.role).toBe("member");
    expect((await inSecond.next("member")).member.role).toBe("owner");
  });
});
