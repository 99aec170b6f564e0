import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignedIn } from "../shared/fixtures.ts";
import { fixturesAt } from "../shared/node-client.ts";
import {
  type HardServer,
  pool,
  ResumingClient,
  seededRandom as random,
  sleep,
  startHardServer,
} from "./helpers.ts";

// A reconnect storm: 200 clients in one room drop (abruptly or cleanly) and reconnect with ?since=
// at random moments while a few others keep sending. At the end each of the 200 has been shown
// every message exactly once, in order, whatever happened to its sockets. Default rate limits.

const WATCHERS = 200;
/** Watchers are devices of these users (several sockets per person, as phones and laptops are). */
const WATCHER_USERS = 50;
const SENDERS = 5;
const PER_SENDER = 40;
/** Sends are spread over about this long, so every drop lands in the middle of traffic. */
const SEND_MS = 8000;
const DROPS_PER_WATCHER = 2;

let hard: HardServer;
const { signUp, publicRoom, fullHistory } = fixturesAt(() => hard.url());

beforeAll(async () => {
  hard = await startHardServer();
});

afterAll(async () => {
  await hard?.dispose();
});

describe("a reconnect storm", () => {
  it("shows each of 200 reconnecting clients every message exactly once, in order", async () => {
    const seed = Number(process.env.STORM_SEED ?? 20261121);
    const rand = random(seed);
    const base = hard.url();
    const indexes = Array.from({ length: WATCHER_USERS + SENDERS }, (_, index) => index);
    const users = await pool(indexes, 6, (index) => signUp(`storm_${index}`));
    const [owner, ...others] = users as [SignedIn, ...SignedIn[]];
    const { id: roomId } = await publicRoom(owner, others);
    const url = (user: SignedIn) => () =>
      `${base.replace("http", "ws")}/api/rooms/${roomId}/ws?token=${user.accessToken}`;

    const senders = users
      .slice(WATCHER_USERS)
      .map((user, index) => new ResumingClient(`sender${index}`, url(user)));
    const watchers = Array.from(
      { length: WATCHERS },
      (_, index) => new ResumingClient(`watcher${index}`, url(users[index % WATCHER_USERS] as SignedIn)),
    );
    await pool([...senders, ...watchers], 16, (client) => client.connect());

    // Each watcher drops DROPS_PER_WATCHER times at random moments and comes back 0–400 ms later.
    let reconnects = 0;
    const failures: string[] = [];
    const storm = watchers.flatMap((watcher) =>
      Array.from({ length: DROPS_PER_WATCHER }, () => ({
        watcher,
        at: rand() * SEND_MS,
        abrupt: rand() < 0.5,
        away: rand() * 400,
      })),
    );
    const stormDone = Promise.all(
      storm.map(async ({ watcher, at, abrupt, away }) => {
        await sleep(at);
        if (!watcher.open) return; // still away from an earlier drop
        watcher.drop(abrupt);
        await sleep(away);
        try {
          await watcher.connect();
          reconnects++;
        } catch (error) {
          failures.push(`${watcher.name}: ${String(error)}`);
        }
      }),
    );

    // Senders: one message every SEND_MS / PER_SENDER ms each (~5/s, under the default limit).
    const sending = Promise.all(
      senders.map(async (sender, index) => {
        for (let n = 0; n < PER_SENDER; n++) {
          sender.send(`m${index}-${String(n).padStart(3, "0")}`);
          await sleep((SEND_MS / PER_SENDER) * (0.5 + rand()));
        }
        await sender.until(() => sender.unconfirmed.length === 0, 30_000, "all confirmed");
      }),
    );
    await Promise.all([stormDone, sending]);
    expect(failures).toEqual([]);

    const total = SENDERS * PER_SENDER;
    await Promise.all(
      [...senders, ...watchers].map((client) =>
        client.until(() => client.lastSeq >= total, 30_000, "the last seq"),
      ),
    );
    const history = await fullHistory(owner.accessToken, roomId);
    expect(history.map((message) => message.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(history.map((message) => message.clientId)).size).toBe(total);
    const everyone = Array.from({ length: total }, (_, i) => i + 1);
    for (const client of [...senders, ...watchers]) {
      expect(client.problems, client.name).toEqual([]);
      expect(client.shown, client.name).toEqual(everyone);
      for (const [seq, message] of client.bySeq) expect(history[seq - 1]?.id).toBe(message.id);
    }
    console.info(
      `storm (seed ${seed}): ${watchers.length} watchers, ${reconnects} reconnects, ${total} messages, ` +
        `each shown ${total} exactly once in order`,
    );
    expect(reconnects).toBeGreaterThan(WATCHERS);
    for (const client of [...senders, ...watchers]) client.close();
  });
});
