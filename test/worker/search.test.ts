import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { pool } from "../../scripts/pool.ts";
import type { Room } from "../../worker/room-object/room";
import { migrate } from "../../worker/room-object/store/migrations";
import { MAX_COMPLETIONS, RANK_WINDOW } from "../../worker/room-object/store/search";
import { SEARCH_ROOMS } from "../../worker/rooms/search-fan-out";
import {
  addMember,
  api,
  createRoom,
  errorOf,
  type Message,
  privatePair,
  roomStub,
  roomWithCast,
  send,
  signUp,
} from "./helpers";

// Search (API.md "Search"): in one room and across the caller's rooms, kept in step with sends,
// edits and deletes, for members only, with phrases, from:, folding, pages, and rooms that had
// history before the index existed.

type Segment = { text: string; match: boolean };
type Hit = { message: Message; snippet: Segment[] };
type RoomPage = { results: Hit[]; hasMore: boolean; nextCursor: string | null };
type AllPage = {
  results: (Hit & { roomId: string })[];
  hasMore: boolean;
  partial: boolean;
  roomsSearched: number;
};

function searchRoom(token: string, roomId: string, q: string, extra = "") {
  return api<RoomPage>("GET", `/api/rooms/${roomId}/search?q=${encodeURIComponent(q)}${extra}`, { token });
}

function searchAll(token: string, q: string, extra = "") {
  return api<AllPage>("GET", `/api/search?q=${encodeURIComponent(q)}${extra}`, { token });
}

/** The bodies a room search finds (and that it answered 200). */
async function found(token: string, roomId: string, q: string): Promise<string[]> {
  const reply = await searchRoom(token, roomId, q);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.results.map((hit) => hit.message.body);
}

const matched = (hit: Hit | undefined) =>
  hit?.snippet.filter((segment) => segment.match).map((segment) => segment.text.toLowerCase());

/** The FTS5 index agrees with the messages it indexes (external content kept exactly in step). */
async function indexIsIntact(roomId: string): Promise<void> {
  await runInDurableObject(roomStub(roomId), async (_room: Room, state) => {
    state.storage.sql.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
  });
}

describe("search in a room", () => {
  it("finds a message once it is sent, with its match marked in a plain-text snippet", async () => {
    const { room, owner, member } = await privatePair();
    await send(owner.accessToken, room.id, "Shall we deploy the release today?");
    await send(member.accessToken, room.id, "Lunch first");
    const reply = await searchRoom(member.accessToken, room.id, "deploy");
    expect(reply.status).toBe(200);
    expect(reply.body.hasMore).toBe(false);
    expect(reply.body.nextCursor).toBeNull();
    expect(reply.body.results).toHaveLength(1);
    const [hit] = reply.body.results;
    expect(hit?.message).toMatchObject({ body: "Shall we deploy the release today?", userId: owner.user.id });
    expect(hit?.snippet.map((segment) => segment.text).join("")).toBe("Shall we deploy the release today?");
    expect(matched(hit)).toEqual(["deploy"]);
    await indexIsIntact(room.id);
  });

  it("finds an edited message by its new text only, and a deleted one never", async () => {
    const { room, owner } = await privatePair();
    const edited = await send(owner.accessToken, room.id, "the meeting is on tuesday");
    const deleted = await send(owner.accessToken, room.id, "my secret password is hunter2");
    const patch = await api("PATCH", `/api/rooms/${room.id}/messages/${edited.seq}`, {
      token: owner.accessToken,
      body: { body: "the meeting moved to wednesday" },
    });
    expect(patch.status).toBe(200);
    expect(await found(owner.accessToken, room.id, "tuesday")).toEqual([]);
    expect(await found(owner.accessToken, room.id, "wednesday")).toEqual(["the meeting moved to wednesday"]);
    const removal = await api("DELETE", `/api/rooms/${room.id}/messages/${deleted.seq}`, {
      token: owner.accessToken,
    });
    expect(removal.status).toBe(200);
    expect(await found(owner.accessToken, room.id, "hunter2")).toEqual([]);
    expect(await found(owner.accessToken, room.id, `from:${owner.user.username}`)).toEqual([
      "the meeting moved to wednesday",
    ]);
    await indexIsIntact(room.id);
  });

  it("matches every word, the last as a prefix, folds case and diacritics, and keeps phrases in order", async () => {
    const { room, owner } = await privatePair();
    await send(owner.accessToken, room.id, "Meet at the Café Noir at noon");
    await send(owner.accessToken, room.id, "noon is too early for the cafe");
    await send(owner.accessToken, room.id, "Deployment notes are in the wiki");
    expect((await found(owner.accessToken, room.id, "CAFE noir")).sort()).toEqual([
      "Meet at the Café Noir at noon",
    ]);
    expect((await found(owner.accessToken, room.id, "café")).sort()).toEqual([
      "Meet at the Café Noir at noon",
      "noon is too early for the cafe",
    ]);
    expect(await found(owner.accessToken, room.id, "deploym")).toEqual(["Deployment notes are in the wiki"]);
    expect(await found(owner.accessToken, room.id, "deploym wiki")).toEqual([]); // wiki is last: a prefix, deploym is not
    expect(await found(owner.accessToken, room.id, '"at noon"')).toEqual(["Meet at the Café Noir at noon"]);
    expect(await found(owner.accessToken, room.id, '"noon at"')).toEqual([]);
  });

  it("finds every word a last-word prefix starts, however many, in any case and with or without accents", async () => {
    const { room, owner } = await privatePair();
    // More words start "qz" than search asks by name (MAX_COMPLETIONS), the last of them alone.
    const many = Array.from({ length: MAX_COMPLETIONS + 8 }, (_, i) => `qz${String(i).padStart(2, "0")}`);
    await send(owner.accessToken, room.id, many.join(" "));
    await send(owner.accessToken, room.id, "only qzzz here");
    await send(owner.accessToken, room.id, "Then they met there in Zürich");
    await send(owner.accessToken, room.id, "thx, see you");
    await send(owner.accessToken, room.id, "an unrelated line");
    expect((await found(owner.accessToken, room.id, "QZ")).sort()).toEqual([
      "only qzzz here",
      many.join(" "),
    ]);
    for (const q of ["th", "THE", "zur", "zür", "Zuri"])
      expect((await found(owner.accessToken, room.id, q)).sort(), q).toEqual(
        q === "th" ? ["Then they met there in Zürich", "thx, see you"] : ["Then they met there in Zürich"],
      );
    expect(await found(owner.accessToken, room.id, "thr")).toEqual([]);
    const [hit] = (await searchRoom(owner.accessToken, room.id, "the")).body.results;
    expect(matched(hit)).toEqual(["then", "they", "there"]);
  });

  it("ranks the better match first, and equal matches newest first", async () => {
    const { room, owner, member } = await privatePair();
    await send(owner.accessToken, room.id, "invoice");
    await send(
      owner.accessToken,
      room.id,
      "about the invoice, and the other things we talked about at length",
    );
    await send(member.accessToken, room.id, "invoice");
    const bodies = await searchRoom(owner.accessToken, room.id, "invoice");
    const ranked = bodies.body.results.map((hit) => [hit.message.body, hit.message.userId]);
    expect(ranked).toEqual([
      ["invoice", member.user.id],
      ["invoice", owner.user.id],
      ["about the invoice, and the other things we talked about at length", owner.user.id],
    ]);
  });

  it("finds from:username, alone (newest first) or with words, and thread replies like any message", async () => {
    const { room, owner, member } = await privatePair();
    const root = await send(owner.accessToken, room.id, "where do we put the roadmap?");
    const reply = await api<Message>("POST", `/api/rooms/${room.id}/messages`, {
      token: member.accessToken,
      body: { body: "the roadmap goes in the wiki", threadSeq: root.seq },
    });
    expect(reply.status).toBe(201);
    await send(member.accessToken, room.id, "coffee anyone?");
    expect(await found(owner.accessToken, room.id, `from:${member.user.username}`)).toEqual([
      "coffee anyone?",
      "the roadmap goes in the wiki",
    ]);
    expect(
      await found(owner.accessToken, room.id, `roadmap from:@${member.user.username.toUpperCase()}`),
    ).toEqual(["the roadmap goes in the wiki"]);
    const thread = await searchRoom(owner.accessToken, room.id, "wiki");
    expect(thread.body.results[0]?.message.threadSeq).toBe(root.seq);
    expect(await found(owner.accessToken, room.id, "roadmap from:nobody_by_this_name")).toEqual([]);
  });

  it("pages with nextCursor until it is null, each match once, unshifted by messages sent meanwhile", async () => {
    const { room, owner, member } = await privatePair();
    for (let n = 1; n <= 24; n++)
      await send(n % 2 ? owner.accessToken : member.accessToken, room.id, `standup note ${n}`);
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const extra: string = `&limit=10${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await searchRoom(owner.accessToken, room.id, "standup", extra);
      expect(page.status).toBe(200);
      seen.push(...page.body.results.map((hit) => hit.message.seq));
      if (pages === 0) await send(owner.accessToken, room.id, "standup note sent meanwhile");
      expect(page.body.hasMore).toBe(page.body.nextCursor !== null);
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(24);
    expect(new Set(seen).size).toBe(24);
    const bad = await searchRoom(owner.accessToken, room.id, "standup", "&cursor=not-a-cursor");
    expect(bad.status).toBe(400);
    expect(errorOf(bad).message).toMatch(/^cursor/);
  });

  it("ranks a very common word a window at a time, and pages on into older messages", async () => {
    const { room, owner } = await privatePair();
    const total = RANK_WINDOW + 30;
    await runInDurableObject(roomStub(room.id), async (_room: Room, state) => {
      for (let seq = 1; seq <= total; seq++) {
        state.storage.sql.exec(
          "INSERT INTO messages (seq, id, user_id, body, client_id, created_at, main_ordinal) VALUES (?, ?, ?, ?, ?, ?, ?)",
          seq,
          crypto.randomUUID(),
          owner.user.id,
          seq === 3 ? "hello hello hello" : `hello number ${seq}`,
          null,
          Date.now(),
          seq,
        );
      }
    });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const extra: string = `&limit=50${cursor ? `&cursor=${cursor}` : ""}`;
      const page = await searchRoom(owner.accessToken, room.id, "hello", extra);
      expect(page.status).toBe(200);
      seen.push(...page.body.results.map((hit) => hit.message.seq));
      cursor = page.body.nextCursor;
    } while (cursor && seen.length <= total);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    // The newest thousand come first; the best match of the older ones leads their window.
    expect(Math.min(...seen.slice(0, RANK_WINDOW))).toBe(31);
    expect(seen[RANK_WINDOW]).toBe(3);
  });
});

describe("who may search", () => {
  it("only members: outsiders of a private room get 404, non-members of a public one 403", async () => {
    const cast = await roomWithCast("private");
    await send(cast.owner.accessToken, cast.room.id, "quarterly numbers");
    expect((await searchRoom(cast.outsider.accessToken, cast.room.id, "quarterly")).status).toBe(404);
    const open = await createRoom(cast.owner.accessToken, { kind: "public" });
    await send(cast.owner.accessToken, open.id, "quarterly numbers in public");
    expect((await searchRoom(cast.outsider.accessToken, open.id, "quarterly")).status).toBe(403);
    const everywhere = await searchAll(cast.outsider.accessToken, "quarterly");
    expect(everywhere.body.results).toEqual([]);
    expect((await searchRoom(cast.owner.accessToken, cast.room.id, "quarterly")).status).toBe(200);
  });

  it("a removed member finds nothing more there, in the room or across rooms", async () => {
    const { room, owner, member } = await privatePair();
    await send(owner.accessToken, room.id, "the launch codes are 0000");
    expect(await found(member.accessToken, room.id, "launch")).toHaveLength(1);
    expect((await searchAll(member.accessToken, "launch")).body.results).toHaveLength(1);
    const removal = await api("DELETE", `/api/rooms/${room.id}/members/${member.user.id}`, {
      token: owner.accessToken,
    });
    expect(removal.status).toBe(204);
    expect((await searchRoom(member.accessToken, room.id, "launch")).status).toBe(404);
    expect((await searchAll(member.accessToken, "launch")).body.results).toEqual([]);
  });

  it("refuses without a token", async () => {
    expect((await api("GET", "/api/search?q=hello")).status).toBe(401);
  });
});

describe("bad queries", () => {
  const cases: [string, string, RegExp][] = [
    ["empty", "   ", /required/],
    ["unbalanced quotes", '"release notes', /unbalanced/],
    ["operators only", "* - ( ) ^", /nothing to search for/],
    ["only AND", "AND", /nothing to search for/],
    ["OR", "deploy OR release", /OR/],
    ["an unknown operator", "deploy in:general", /unknown operator "in:"/],
    ["from: without a name", "from: alice", /from: without a username/],
    ["500 characters", "a".repeat(500), /at most 200 characters/],
  ];
  it.each(cases)("answers 400 for %s, in a room and across rooms", async (_what, q, reason) => {
    const { room, owner } = await privatePair();
    for (const reply of [
      await searchRoom(owner.accessToken, room.id, q),
      await searchAll(owner.accessToken, q),
    ]) {
      expect(reply.status).toBe(400);
      const error = errorOf(reply);
      expect(error.code).toBe("invalid_request");
      expect(error.message).toMatch(/^q: /);
      expect(error.message).toMatch(reason);
    }
  });

  it("takes a pasted link as words, not as an operator", async () => {
    const { room, owner } = await privatePair();
    await send(owner.accessToken, room.id, "see https://example.com/docs for more");
    expect(await found(owner.accessToken, room.id, "https://example.com/docs")).toHaveLength(1);
  });

  it("answers 400 for a limit out of range", async () => {
    const { room, owner } = await privatePair();
    expect((await searchRoom(owner.accessToken, room.id, "x", "&limit=51")).status).toBe(400);
    expect((await searchAll(owner.accessToken, "x", "&limit=0")).status).toBe(400);
  });
});

describe("search across rooms", () => {
  it("merges the caller's rooms by score, each result naming its room, and says it covered them all", async () => {
    const owner = await signUp();
    const [first, second] = [await createRoom(owner.accessToken), await createRoom(owner.accessToken)];
    await send(owner.accessToken, first.id, "budget budget review");
    await send(owner.accessToken, second.id, "the budget review happens after the offsite next week");
    await send(owner.accessToken, second.id, "unrelated chatter");
    const reply = await searchAll(owner.accessToken, "budget");
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ hasMore: false, partial: false, roomsSearched: 2 });
    expect(reply.body.results.map((hit) => [hit.roomId, hit.message.body])).toEqual([
      [first.id, "budget budget review"],
      [second.id, "the budget review happens after the offsite next week"],
    ]);
    expect(matched(reply.body.results[0])).toEqual(["budget", "budget"]);
    const limited = await searchAll(owner.accessToken, "review", "&limit=1");
    expect(limited.body.results).toHaveLength(1);
    expect(limited.body.hasMore).toBe(true);
  });

  it(`searches at most the ${SEARCH_ROOMS} most recently active rooms and says the answer is partial`, async () => {
    const owner = await signUp();
    // Made by several people: one person may create 20 rooms an hour (RATE_CREATE_ROOM_PER_USER).
    const makers = await Promise.all(Array.from({ length: 6 }, () => signUp()));
    const rooms = await pool(
      Array.from({ length: SEARCH_ROOMS + 1 }, (_, n) => n),
      8,
      async (n) => {
        const maker = makers[n % makers.length] ?? makers[0];
        if (!maker) throw new Error("no makers");
        const room = await createRoom(maker.accessToken, { kind: "private" });
        await addMember(maker.accessToken, room.id, owner.user.id);
        return room;
      },
    );
    const newest = rooms.at(-1); // made last: among the most recently active (the oldest is left out)
    if (!newest) throw new Error("no rooms");
    await send(owner.accessToken, newest.id, "needle in the most recently active room");
    const reply = await searchAll(owner.accessToken, "needle");
    expect(reply.status).toBe(200);
    expect(reply.body.partial).toBe(true);
    expect(reply.body.roomsSearched).toBeLessThanOrEqual(SEARCH_ROOMS);
    expect(reply.body.results.map((hit) => hit.roomId)).toEqual([newest.id]);
  }, 90_000); // 101 rooms made one request at a time: slow only on a busy machine
});

describe("rooms that had history before search existed", () => {
  it("are indexed by the migration, so the first search after the upgrade finds old messages", async () => {
    const { room, owner } = await privatePair();
    const applied = await runInDurableObject(roomStub(room.id), async (_room: Room, state) => {
      const sql = state.storage.sql;
      // The room as it was before 0005_search: no index, no triggers; rows written the old way.
      for (const statement of [
        "DROP TRIGGER messages_fts_insert",
        "DROP TRIGGER messages_fts_update",
        "DROP TRIGGER messages_fts_delete",
        "DROP TABLE messages_fts",
        "DROP VIEW searchable_messages",
        "DELETE FROM schema_migrations WHERE name = '0005_search'",
      ])
        sql.exec(statement);
      const old = (seq: number, body: string, deletedAt: number | null) =>
        sql.exec(
          "INSERT INTO messages (seq, id, user_id, body, client_id, created_at, deleted_at, main_ordinal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          seq,
          crypto.randomUUID(),
          owner.user.id,
          body,
          null,
          Date.now(),
          deletedAt,
          seq,
        );
      old(1, "the archive from last year", null);
      old(2, "", Date.now());
      old(3, "another archived thought", null);
      return migrate(state.storage);
    });
    expect(applied).toEqual(["0005_search"]);
    expect((await found(owner.accessToken, room.id, "archiv")).sort()).toEqual([
      "another archived thought",
      "the archive from last year",
    ]);
    await indexIsIntact(room.id);
    // And from then on the triggers keep it in step.
    await api("PATCH", `/api/rooms/${room.id}/messages/1`, {
      token: owner.accessToken,
      body: { body: "gone" },
    });
    expect(await found(owner.accessToken, room.id, "archiv")).toEqual(["another archived thought"]);
    await indexIsIntact(room.id);
  });
});
