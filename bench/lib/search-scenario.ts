// s: search. A room of 100,000 (--quick: 5,000) messages of chat-like text (bench/lib/chat-text.ts)
// sent through the WebSocket API to two Hubbubs in the same run: the real one, and a copy of
// worker/ whose rooms never get the search index (migrations 0005_search and 0007_search_terms left out), so the cost the
// index adds to a send is the ratio of the two seeding rates (group commit, same window, the rounds
// interleaved so that the machine's load falls on both alike); its size is read with dbstat from
// the room's database file. Then searches for a rare word, a common word, a phrase and a prefix,
// timed through the API (the client's wall time) and inside the room (its Server-Timing), and a
// search across rooms for a member of `rooms` rooms.

import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { projectRoot } from "../../scripts/local-server.ts";
import { pool } from "../../scripts/pool.ts";
import { api, type BenchUser, createRoom, registerUsers } from "./api.ts";
import { chatMessage, PHRASE, RARE_WORD } from "./chat-text.ts";
import { percentile } from "./load.ts";
import { type Sizes, seedThroughSockets } from "./scenarios.ts";
import type { Target } from "./targets.ts";

export type QueryTiming = {
  name: string;
  q: string;
  firstPageResults: number;
  hasMore: boolean;
  apiP50Ms: number;
  apiMaxMs: number;
  roomP50Ms: number;
  roomMaxMs: number;
};

export type SearchMetrics = {
  messagesStored: number;
  withIndexMsgPerSec: number;
  withoutIndexMsgPerSec: number;
  /** with / without: the share of its send rate a room keeps with the index. */
  sendRatio: number;
  /** SQLite pages of the FTS5 index, and of the messages table with its own indexes. */
  indexBytes: number;
  messageBytes: number;
  /** indexBytes / messageBytes. */
  indexToMessages: number;
  queries: QueryTiming[];
  acrossRooms: {
    rooms: number;
    roomsSearched: number;
    partial: boolean;
    firstMs: number;
    p50Ms: number;
    maxMs: number;
  };
};

const NO_INDEX_DIR = join("test-results", "bench-no-index");

/** A copy of worker/ whose rooms skip 0005_search and 0007_search_terms (nothing else differs), for startHubbub(). */
export function workerWithoutIndex(): string {
  const target = join(projectRoot, NO_INDEX_DIR);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(join(projectRoot, "worker"), join(target, "worker"), { recursive: true });
  const migrations = join(target, "worker", "room-object", "store", "migrations.ts");
  if (!existsSync(migrations)) throw new Error(`no ${migrations}`);
  writeFileSync(
    migrations,
    `${readFileSync(migrations, "utf8")}\n// bench: rooms without the search index\nroomMigrations.splice(0, roomMigrations.length, ...roomMigrations.filter((m) => !["0005_search", "0007_search_terms"].includes(m.name)));\n`,
  );
  return join(NO_INDEX_DIR, "worker");
}

/**
 * The search index's size and the messages' (their table and its indexes), in bytes of SQLite
 * pages, read with dbstat from a copy of the room's database file (and its WAL) in local state.
 */
function storageOf(target: Target): { indexBytes: number; messageBytes: number } {
  const dir = join(target.persistTo, "v3", "do", "hubbub-Room");
  const files = readdirSync(dir).filter((name) => name.endsWith(".sqlite"));
  const room = files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
  if (!room) throw new Error(`no room database in ${dir}`);
  const copy = mkdtempSync(join(tmpdir(), "bench-room-"));
  try {
    for (const suffix of ["", "-wal"])
      if (existsSync(join(dir, room + suffix)))
        cpSync(join(dir, room + suffix), join(copy, `room.sqlite${suffix}`));
    const db = new DatabaseSync(join(copy, "room.sqlite"));
    const bytes = (where: string) =>
      Number(db.prepare(`SELECT coalesce(sum(pgsize), 0) AS n FROM dbstat WHERE ${where}`).get()?.n ?? 0);
    const indexBytes = bytes("name LIKE 'messages_fts%'");
    const messageBytes = bytes(
      "(name = 'messages' OR name LIKE 'messages_%') AND name NOT LIKE 'messages_fts%'",
    );
    db.close();
    return { indexBytes, messageBytes };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

type Seeding = { target: Target; urls: string[]; ms: number };

async function seedingFor(
  target: Target,
  prefix: string,
): Promise<{ seeding: Seeding; roomId: string; reader: BenchUser }> {
  const members = await registerUsers(target.url, prefix, 4);
  const roomId = await createRoom(target.url, "search", members);
  const ws = target.url.replace(/^http/, "ws");
  const urls = members.map((member) => `${ws}/api/rooms/${roomId}/ws?token=${member.token}`);
  return { seeding: { target, urls, ms: 0 }, roomId, reader: members[0] as BenchUser };
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

export async function runSearch(
  indexed: Target,
  plain: Target,
  sizes: Sizes["s"],
  log: (text: string) => void,
) {
  const withIndex = await seedingFor(indexed, "searcher");
  const without = await seedingFor(plain, "plainer");
  const chunk = Math.ceil(sizes.messages / sizes.rounds);
  for (let round = 0, sent = 0; sent < sizes.messages; round++, sent += chunk) {
    const count = Math.min(chunk, sizes.messages - sent);
    const text = { body: (n: number) => chatMessage(sent + n + 1, sizes.messages), prefix: `e${round}` };
    const order =
      round % 2 === 0 ? [withIndex.seeding, without.seeding] : [without.seeding, withIndex.seeding];
    for (const seeding of order)
      seeding.ms += await seedThroughSockets(seeding.urls, count, sizes.window, text);
    log(`        round ${round + 1}: ${sent + count} messages in each room`);
  }
  const rate = (seeding: Seeding) => Math.round(sizes.messages / (seeding.ms / 1000));
  const { indexBytes, messageBytes } = storageOf(indexed);
  const queries = await timeQueries(indexed.url, withIndex.roomId, withIndex.reader, sizes.reads);
  const acrossRooms = await timeAcrossRooms(indexed.url, withIndex.reader, sizes.rooms, sizes.reads);
  return {
    messagesStored: sizes.messages,
    withIndexMsgPerSec: rate(withIndex.seeding),
    withoutIndexMsgPerSec: rate(without.seeding),
    sendRatio: Math.round((rate(withIndex.seeding) / rate(without.seeding)) * 100) / 100,
    indexBytes,
    messageBytes,
    indexToMessages: Math.round((indexBytes / messageBytes) * 100) / 100,
    queries,
    acrossRooms,
  } satisfies SearchMetrics;
}

type RoomPage = { results: unknown[]; hasMore: boolean };

async function timeQueries(base: string, roomId: string, reader: BenchUser, reads: number) {
  const asked = [
    { name: "rare word", q: RARE_WORD },
    { name: "common word", q: "the" },
    { name: "phrase", q: `"${PHRASE}"` },
    { name: "two words, the last a prefix", q: "deploy tomo" },
    { name: "two letters, a prefix of many words", q: "th" },
  ];
  const timings: QueryTiming[] = [];
  for (const { name, q } of asked) {
    const [wall, room]: [number[], number[]] = [[], []];
    let first: RoomPage | null = null;
    for (let i = 0; i < reads + 3; i++) {
      const started = performance.now();
      const reply = await api<RoomPage>(
        base,
        "GET",
        `/api/rooms/${roomId}/search?q=${encodeURIComponent(q)}`,
        {
          token: reader.token,
        },
      );
      const elapsed = performance.now() - started;
      if (reply.status !== 200)
        throw new Error(`search ${q}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
      const timing = /room;dur=([\d.]+)/.exec(reply.headers.get("server-timing") ?? "");
      if (!timing) throw new Error("the search answered without its Server-Timing");
      first ??= reply.body;
      if (i < 3) continue; // warm-up
      wall.push(elapsed);
      room.push(Number(timing[1]));
    }
    const sorted = (values: number[]) => [...values].sort((x, y) => x - y);
    timings.push({
      name,
      q,
      firstPageResults: first?.results.length ?? 0,
      hasMore: first?.hasMore ?? false,
      apiP50Ms: round1(percentile(sorted(wall), 50)),
      apiMaxMs: round1(percentile(sorted(wall), 100)),
      roomP50Ms: round1(percentile(sorted(room), 50)),
      roomMaxMs: round1(percentile(sorted(room), 100)),
    });
  }
  return timings;
}

/** GET /api/search for a member of `rooms` rooms (the searched room and rooms-1 more, each with a message). */
async function timeAcrossRooms(base: string, reader: BenchUser, rooms: number, reads: number) {
  await pool(
    Array.from({ length: rooms - 1 }, (_, n) => n),
    8,
    async (n) => {
      const roomId = await createRoom(base, `many-${n}`, [reader]);
      const body = { body: `${chatMessage(n + 1, rooms)} ${n % 10 === 0 ? RARE_WORD : ""}`.trim() };
      const sent = await api(base, "POST", `/api/rooms/${roomId}/messages`, { token: reader.token, body });
      if (sent.status !== 201) throw new Error(`send in room ${n}: HTTP ${sent.status}`);
    },
  );
  const times: number[] = [];
  let answer = { roomsSearched: 0, partial: false };
  for (let i = 0; i < reads; i++) {
    const started = performance.now();
    const reply = await api<{ roomsSearched: number; partial: boolean }>(
      base,
      "GET",
      `/api/search?q=${RARE_WORD}`,
      { token: reader.token },
    );
    times.push(performance.now() - started);
    if (reply.status !== 200) throw new Error(`search across rooms: HTTP ${reply.status}`);
    answer = reply.body;
  }
  const firstMs = round1(times[0] ?? 0);
  const warm = times.slice(1).sort((x, y) => x - y);
  return {
    rooms,
    roomsSearched: answer.roomsSearched,
    partial: answer.partial,
    firstMs,
    p50Ms: round1(percentile(warm, 50)),
    maxMs: round1(percentile(warm, 100)),
  };
}
