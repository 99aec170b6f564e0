import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import {
  addMember,
  api,
  closeAllSockets,
  createRoom,
  errorOf,
  type Message,
  roomSocket,
  roomWithCast,
  send,
  signUp,
  userSocket,
} from "./helpers";

// Moderation (API.md "Moderation and accounts"): roles and handing a room over, bans, mutes,
// reports, the audit log, and blocking people.

afterEach(closeAllSockets);

type Audit = {
  entries: { id: number; action: string; actorId: string; targetUserId?: string; seq?: number }[];
  hasMore: boolean;
};

async function auditOf(roomId: string, token: string, query = ""): Promise<Audit> {
  const response = await api<Audit>("GET", `/api/rooms/${roomId}/audit${query}`, { token });
  expect(response.status).toBe(200);
  return response.body;
}

describe("roles", () => {
  it("lets the owner make and unmake admins, live for everyone, and logs it", async () => {
    const { room, owner, member } = await roomWithCast("private");
    const watching = await roomSocket(room.id, member.accessToken);
    await watching.next("welcome");
    const made = await api("PATCH", `/api/rooms/${room.id}/members/${member.user.id}`, {
      token: owner.accessToken,
      body: { role: "admin" },
    });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ userId: member.user.id, role: "admin" });
    expect(await watching.next("member", (frame) => frame.member.userId === member.user.id)).toMatchObject({
      change: "updated",
      member: { role: "admin" },
    });
    const unmade = await api("PATCH", `/api/rooms/${room.id}/members/${member.user.id}`, {
      token: owner.accessToken,
      body: { role: "member" },
    });
    expect(unmade.body).toMatchObject({ role: "member" });
    const log = await auditOf(room.id, owner.accessToken);
    expect(log.entries.filter((entry) => entry.action === "role_changed")).toHaveLength(2);
  });

  it("hands the room over: the new owner, the old one an admin", async () => {
    const { room, owner, member } = await roomWithCast("private");
    const handed = await api("PATCH", `/api/rooms/${room.id}/members/${member.user.id}`, {
      token: owner.accessToken,
      body: { role: "owner" },
    });
    expect(handed.status).toBe(200);
    const detail = await api<{ members: { userId: string; role: string }[] }>(
      "GET",
      `/api/rooms/${room.id}`,
      {
        token: member.accessToken,
      },
    );
    const roles = Object.fromEntries(detail.body.members.map((entry) => [entry.userId, entry.role]));
    expect(roles[member.user.id]).toBe("owner");
    expect(roles[owner.user.id]).toBe("admin");
    const log = await auditOf(room.id, member.accessToken);
    expect(log.entries.map((entry) => entry.action)).toContain("ownership_transferred");
  });

  it("refuses role changes by admins and members (403), and of people not in the room (404)", async () => {
    const { room, admin, member, outsider, owner } = await roomWithCast("private");
    for (const who of [admin, member]) {
      const refused = await api("PATCH", `/api/rooms/${room.id}/members/${member.user.id}`, {
        token: who.accessToken,
        body: { role: "admin" },
      });
      expect(refused.status).toBe(403);
    }
    const stranger = await api("PATCH", `/api/rooms/${room.id}/members/${outsider.user.id}`, {
      token: owner.accessToken,
      body: { role: "admin" },
    });
    expect(stranger.status).toBe(404);
  });
});

describe("bans", () => {
  it("removes the member, closes their sockets (4003), and refuses join and add until lifted", async () => {
    const { room, admin, member, owner } = await roomWithCast("public");
    const socket = await roomSocket(room.id, member.accessToken);
    await socket.next("welcome");
    const banned = await api("POST", `/api/rooms/${room.id}/bans`, {
      token: admin.accessToken,
      body: { userId: member.user.id, reason: "spam" },
    });
    expect(banned.status).toBe(204);
    expect((await socket.closed).code).toBe(4003);
    const rejoin = await api("POST", `/api/rooms/${room.id}/join`, { token: member.accessToken });
    expect(rejoin.status).toBe(403);
    const added = await api("POST", `/api/rooms/${room.id}/members`, {
      token: owner.accessToken,
      body: { userId: member.user.id },
    });
    expect(added.status).toBe(403);
    const list = await api<{ bans: { userId: string; reason: string; until: string | null }[] }>(
      "GET",
      `/api/rooms/${room.id}/bans`,
      { token: owner.accessToken },
    );
    expect(list.body.bans).toEqual([
      expect.objectContaining({ userId: member.user.id, reason: "spam", until: null }),
    ]);
    const lifted = await api("DELETE", `/api/rooms/${room.id}/bans/${member.user.id}`, {
      token: admin.accessToken,
    });
    expect(lifted.status).toBe(204);
    expect((await api("POST", `/api/rooms/${room.id}/join`, { token: member.accessToken })).status).toBe(200);
    const actions = (await auditOf(room.id, owner.accessToken)).entries.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["member_banned", "member_unbanned"]));
  });

  it("ends by itself at its time", async () => {
    const { room, owner, member } = await roomWithCast("public");
    await api("POST", `/api/rooms/${room.id}/bans`, {
      token: owner.accessToken,
      body: { userId: member.user.id, minutes: 5 },
    });
    expect((await api("POST", `/api/rooms/${room.id}/join`, { token: member.accessToken })).status).toBe(403);
    // Five minutes pass (for the ban).
    await env.DB.prepare("UPDATE room_bans SET until = ? WHERE room_id = ?")
      .bind(Date.now() - 1000, room.id)
      .run();
    expect((await api("POST", `/api/rooms/${room.id}/join`, { token: member.accessToken })).status).toBe(200);
  });

  it("lets admins ban members only, and nobody the owner or themselves", async () => {
    const { room, admin, owner } = await roomWithCast("private");
    const otherAdmin = await signUp();
    await addMember(owner.accessToken, room.id, otherAdmin.user.id, "admin");
    for (const [token, target] of [
      [admin.accessToken, otherAdmin.user.id],
      [admin.accessToken, owner.user.id],
      [admin.accessToken, admin.user.id],
      [owner.accessToken, owner.user.id],
    ] as const) {
      const refused = await api("POST", `/api/rooms/${room.id}/bans`, { token, body: { userId: target } });
      expect(refused.status).toBe(403);
    }
  });
});

describe("mutes", () => {
  it("lets a muted member read but not send, edit or type, over REST and the socket, until it ends", async () => {
    const { room, admin, member, owner } = await roomWithCast("private");
    const before = await send(member.accessToken, room.id, "before the mute");
    const muted = await api("POST", `/api/rooms/${room.id}/mutes`, {
      token: admin.accessToken,
      body: { userId: member.user.id, minutes: 10 },
    });
    expect(muted.status).toBe(204);
    const refused = await api("POST", `/api/rooms/${room.id}/messages`, {
      token: member.accessToken,
      body: { body: "let me speak" },
    });
    expect(refused.status).toBe(403);
    expect(errorOf(refused).message).toMatch(/muted/);
    const edited = await api("PATCH", `/api/rooms/${room.id}/messages/${before.seq}`, {
      token: member.accessToken,
      body: { body: "sneaky edit" },
    });
    expect(edited.status).toBe(403);
    const socket = await roomSocket(room.id, member.accessToken);
    const owners = await roomSocket(room.id, owner.accessToken);
    await owners.next("welcome");
    socket.send({ type: "message", body: "over the socket", clientId: "m-1" });
    expect(await socket.next("error", (frame) => frame.clientId === "m-1")).toMatchObject({
      code: "forbidden",
    });
    socket.send({ type: "typing", typing: true });
    await socket.sync();
    await owners.sync();
    expect(owners.all("typing")).toEqual([]);
    // Reading still works.
    const page = await api<{ messages: Message[] }>("GET", `/api/rooms/${room.id}/messages`, {
      token: member.accessToken,
    });
    expect(page.status).toBe(200);
    const list = await api<{ mutes: { userId: string }[] }>("GET", `/api/rooms/${room.id}/mutes`, {
      token: owner.accessToken,
    });
    expect(list.body.mutes.map((entry) => entry.userId)).toEqual([member.user.id]);
    await api("DELETE", `/api/rooms/${room.id}/mutes/${member.user.id}`, { token: owner.accessToken });
    await send(member.accessToken, room.id, "free again");
    const actions = (await auditOf(room.id, owner.accessToken)).entries.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["member_muted", "member_unmuted"]));
  });

  it("refuses admins muting admins or the owner", async () => {
    const { room, admin, owner } = await roomWithCast("private");
    const refused = await api("POST", `/api/rooms/${room.id}/mutes`, {
      token: admin.accessToken,
      body: { userId: owner.user.id, minutes: 10 },
    });
    expect(refused.status).toBe(403);
  });
});

describe("reports", () => {
  it("tells the owners and admins at once and lists the reports for them only", async () => {
    const { room, admin, member, owner } = await roomWithCast("private");
    const message = await send(owner.accessToken, room.id, "something reportable");
    const adminsChannel = await userSocket(admin.accessToken);
    const reported = await api("POST", `/api/rooms/${room.id}/messages/${message.seq}/report`, {
      token: member.accessToken,
      body: { reason: "rude" },
    });
    expect(reported.status).toBe(204);
    expect(await adminsChannel.next("report")).toEqual({ type: "report", roomId: room.id, seq: message.seq });
    const list = await api<{ reports: { seq: number; reporterId: string; reason: string }[] }>(
      "GET",
      `/api/rooms/${room.id}/reports`,
      { token: owner.accessToken },
    );
    expect(list.body.reports).toEqual([
      expect.objectContaining({ seq: message.seq, reporterId: member.user.id, reason: "rude" }),
    ]);
    expect((await api("GET", `/api/rooms/${room.id}/reports`, { token: member.accessToken })).status).toBe(
      403,
    );
    const unknown = await api("POST", `/api/rooms/${room.id}/messages/999/report`, {
      token: member.accessToken,
      body: { reason: "rude" },
    });
    expect(unknown.status).toBe(404);
  });
});

describe("the audit log", () => {
  it("records removals, renames and deletions of others' messages, newest first, paged by id", async () => {
    const { room, admin, member, owner } = await roomWithCast("private");
    const theirs = await send(member.accessToken, room.id, "to be moderated");
    await api("DELETE", `/api/rooms/${room.id}/messages/${theirs.seq}`, { token: admin.accessToken });
    await api("PATCH", `/api/rooms/${room.id}`, { token: admin.accessToken, body: { topic: "Be nice" } });
    await api("DELETE", `/api/rooms/${room.id}/members/${member.user.id}`, { token: admin.accessToken });
    const log = await auditOf(room.id, owner.accessToken);
    expect(log.entries.map((entry) => entry.action)).toEqual([
      "member_removed",
      "room_renamed",
      "message_deleted",
    ]);
    expect(log.entries[2]).toMatchObject({
      actorId: admin.user.id,
      targetUserId: member.user.id,
      seq: theirs.seq,
    });
    const first = await auditOf(room.id, owner.accessToken, "?limit=2");
    expect(first.hasMore).toBe(true);
    const rest = await auditOf(room.id, owner.accessToken, `?before=${first.entries[1]?.id}&limit=2`);
    expect(rest.entries.map((entry) => entry.action)).toEqual(["message_deleted"]);
    expect(rest.hasMore).toBe(false);
    expect((await api("GET", `/api/rooms/${room.id}/audit`, { token: admin.accessToken })).status).toBe(200);
    const outsider = await signUp();
    expect((await api("GET", `/api/rooms/${room.id}/audit`, { token: outsider.accessToken })).status).toBe(
      404,
    );
  });

  it("does not log an author deleting their own message", async () => {
    const owner = await signUp();
    const room = await createRoom(owner.accessToken, { kind: "private" });
    const mine = await send(owner.accessToken, room.id, "oops");
    await api("DELETE", `/api/rooms/${room.id}/messages/${mine.seq}`, { token: owner.accessToken });
    expect((await auditOf(room.id, owner.accessToken)).entries).toEqual([]);
  });
});

describe("blocking", () => {
  it("stops the blocked person opening a direct room or messaging in one, until unblocked", async () => {
    const [ann, ben] = await Promise.all([signUp(), signUp()]);
    const opened = await api<{ id: string }>("POST", "/api/rooms/direct", {
      token: ann.accessToken,
      body: { userId: ben.user.id },
    });
    const roomId = opened.body.id;
    const blocked = await api("POST", `/api/users/${ben.user.id}/block`, { token: ann.accessToken });
    expect(blocked.status).toBe(204);
    const list = await api<{ users: { id: string }[] }>("GET", "/api/users/me/blocks", {
      token: ann.accessToken,
    });
    expect(list.body.users.map((user) => user.id)).toEqual([ben.user.id]);
    const refused = await api("POST", `/api/rooms/${roomId}/messages`, {
      token: ben.accessToken,
      body: { body: "hey" },
    });
    expect(refused.status).toBe(403);
    const bens = await roomSocket(roomId, ben.accessToken);
    bens.send({ type: "message", body: "hey?", clientId: "b-1" });
    expect(await bens.next("error", (frame) => frame.clientId === "b-1")).toMatchObject({
      code: "forbidden",
    });
    // Ann still reaches Ben.
    await send(ann.accessToken, roomId, "I can still write to you");
    const unblocked = await api("DELETE", `/api/users/${ben.user.id}/block`, { token: ann.accessToken });
    expect(unblocked.status).toBe(204);
    await send(ben.accessToken, roomId, "thanks");
  });

  it("refuses a direct room opened by someone who is blocked, even a new one", async () => {
    const [cat, dan] = await Promise.all([signUp(), signUp()]);
    await api("POST", `/api/users/${dan.user.id}/block`, { token: cat.accessToken });
    const refused = await api("POST", "/api/rooms/direct", {
      token: dan.accessToken,
      body: { userId: cat.user.id },
    });
    expect(refused.status).toBe(403);
    // Cat can still open it; Dan's messages in it are refused (the block predates the room).
    const opened = await api<{ id: string }>("POST", "/api/rooms/direct", {
      token: cat.accessToken,
      body: { userId: dan.user.id },
    });
    expect(opened.status).toBe(201);
    const fromDan = await api("POST", `/api/rooms/${opened.body.id}/messages`, {
      token: dan.accessToken,
      body: { body: "hi" },
    });
    expect(fromDan.status).toBe(403);
  });
});

describe("moderation's edges", () => {
  it("refuses a report in a direct room, which has nobody to tell (403)", async () => {
    const [ann, ben] = await Promise.all([signUp(), signUp()]);
    const opened = await api<{ id: string }>("POST", "/api/rooms/direct", {
      token: ann.accessToken,
      body: { userId: ben.user.id },
    });
    const message = await send(ann.accessToken, opened.body.id, "hi");
    const refused = await api("POST", `/api/rooms/${opened.body.id}/messages/${message.seq}/report`, {
      token: ben.accessToken,
      body: { reason: "rude" },
    });
    expect(refused.status).toBe(403);
  });

  it("keeps a room you are banned from out of Browse, and writes times in the audit log as ISO strings", async () => {
    const { room, owner, member } = await roomWithCast("public");
    await api("POST", `/api/rooms/${room.id}/bans`, {
      token: owner.accessToken,
      body: { userId: member.user.id, minutes: 60 },
    });
    const found = await api<{ rooms: { id: string }[] }>(
      "GET",
      `/api/rooms/discover?q=${encodeURIComponent(room.name)}`,
      {
        token: member.accessToken,
      },
    );
    expect(found.body.rooms.map((each) => each.id)).not.toContain(room.id);
    const log = await api<{ entries: { action: string; details?: { until?: string } }[] }>(
      "GET",
      `/api/rooms/${room.id}/audit`,
      {
        token: owner.accessToken,
      },
    );
    const until = log.body.entries.find((entry) => entry.action === "member_banned")?.details?.until ?? "";
    expect(new Date(until).toISOString()).toBe(until);
  });
});
