import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignedIn } from "../shared/fixtures.ts";
import { fixturesAt } from "../shared/node-client.ts";
import { type HardServer, ResumingClient, sleep, startHardServer, waitFor } from "./helpers.ts";

// Durability under a crash: clients send with clientIds, the server is killed with SIGKILL (the
// whole process group: wrangler and its workerd processes) in the middle of the stream, and started
// again on the same --persist-to folder. The clients resume with ?since= and resend what was never
// confirmed, with the same clientId. Afterwards every confirmed message is stored exactly once, with
// the seq it was confirmed with, in order; nothing a client was shown changes; no resend is doubled.

const SENDERS = 3;
const PER_SENDER = 60;
/** Unconfirmed messages each sender keeps in flight: some are always mid-way when the kill lands. */
const WINDOW = 4;
const KILL_AFTER_CONFIRMED = 70;

let hard: HardServer;
const { signUp, publicRoom, fullHistory } = fixturesAt(() => hard.url());

beforeAll(async () => {
  // The closed-loop senders are faster than the 10/s per-connection limit; it is not under test here.
  hard = await startHardServer({ MESSAGE_RATE_PER_SEC: "1000", MESSAGE_BURST: "1000" });
});

afterAll(async () => {
  await hard?.dispose();
});

describe("a crash in the middle of a stream", () => {
  it("keeps every confirmed message exactly once, in order, and doubles no resend", async () => {
    const users: SignedIn[] = [];
    for (let index = 0; index <= SENDERS; index++) users.push(await signUp(`crash_${index}`));
    const [owner, ...others] = users as [SignedIn, ...SignedIn[]];
    const { id: roomId } = await publicRoom(owner, others);
    const socketUrl = (user: SignedIn) => () =>
      `${hard.url().replace("http", "ws")}/api/rooms/${roomId}/ws?token=${user.accessToken}`;

    // Senders 0..2 send; the last user only watches.
    const clients = users.map((user, index) => new ResumingClient(`client${index}`, socketUrl(user)));
    const senders = clients.slice(0, SENDERS);
    const watcher = clients[SENDERS] as ResumingClient;
    for (const client of clients) await client.connect();

    const next = senders.map(() => 0);
    const pump = (index: number) => {
      const client = senders[index] as ResumingClient;
      while (client.open && client.unconfirmed.length < WINDOW && (next[index] ?? 0) < PER_SENDER) {
        client.send(`s${index}-${String(next[index]).padStart(3, "0")}`);
        next[index] = (next[index] ?? 0) + 1;
      }
    };
    const totalConfirmed = () => senders.reduce((sum, client) => sum + client.confirmed.size, 0);
    let pumping = true;
    const pumpLoop = (async () => {
      while (pumping) {
        for (let index = 0; index < senders.length; index++) pump(index);
        await sleep(2);
      }
    })();

    // Kill the server mid-stream with messages in flight, made so rather than left to timing: once
    // enough are confirmed, the senders stop reading (their confirmations wait unread), keep sending
    // until their window is full, and only then does the kill land. Some of those messages are stored
    // and never confirmed, some may never arrive: resuming must sort out both.
    await senders[0]?.until(() => totalConfirmed() >= KILL_AFTER_CONFIRMED, 30_000, "enough confirmations");
    for (const client of senders) client.holdConfirmations();
    const windowFull = (index: number) =>
      (senders[index]?.unconfirmed.length ?? 0) >= WINDOW || next[index] === PER_SENDER;
    await waitFor(() => senders.every((_, index) => windowFull(index)), 10_000, "every send window full");
    const inFlight = senders.map((client) => client.unconfirmed.length);
    await hard.server.kill();
    const confirmedBeforeCrash = new Map<string, number>();
    for (const client of senders) for (const [id, seq] of client.confirmed) confirmedBeforeCrash.set(id, seq);
    const shownBeforeCrash = clients.map((client) => new Map(client.bySeq));
    for (const client of clients) client.drop(true);
    // 70 of 180 confirmed: at least one sender had more to send, so its whole window is in flight.
    expect(Math.max(...inFlight)).toBe(WINDOW);

    await hard.crashAndRestart(); // already dead: this only starts it again on the same state
    for (const client of clients) await client.connect();

    // Everyone finishes: all messages confirmed, and every client has seen the last one.
    await Promise.all(
      senders.map((client, index) =>
        client.until(
          () => next[index] === PER_SENDER && client.unconfirmed.length === 0,
          60_000,
          "all confirmed",
        ),
      ),
    );
    pumping = false;
    await pumpLoop;
    const total = SENDERS * PER_SENDER;
    await Promise.all(
      clients.map((client) => client.until(() => client.lastSeq >= total, 30_000, "the last seq")),
    );

    const history = await fullHistory(owner.accessToken, roomId);
    // Exactly once: seqs 1..N without a gap, each (author, clientId) once, every message there.
    expect(history.map((message) => message.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const ids = history.map((message) => message.clientId ?? "");
    expect(new Set(ids).size).toBe(total);
    expect(history.length).toBe(total);
    // Confirmed before the crash: still there, under the same seq.
    for (const [clientId, seq] of confirmedBeforeCrash) expect(history[seq - 1]?.clientId).toBe(clientId);
    // In order: each sender's messages have increasing seqs in the order they were sent.
    for (let index = 0; index < SENDERS; index++) {
      const seqs = history.filter((message) => message.clientId?.startsWith(`s${index}-`));
      expect(seqs.map((message) => message.clientId)).toEqual([...seqs.map((m) => m.clientId)].sort());
    }
    // What a client was shown, before or after the crash, is what is stored: nothing was shown and
    // then lost or replaced, nothing shown twice, nothing skipped.
    clients.forEach((client, index) => {
      expect(client.problems).toEqual([]);
      expect(client.shown).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      for (const [seq, message] of shownBeforeCrash[index] ?? [])
        expect(history[seq - 1]?.id).toBe(message.id);
      for (const [seq, message] of client.bySeq) expect(history[seq - 1]?.id).toBe(message.id);
    });
    expect(watcher.connections).toBe(2);
    console.info(
      `crash: ${confirmedBeforeCrash.size} confirmed before the kill, ${inFlight.join("+")} in flight, ` +
        `${senders.reduce((sum, client) => sum + client.repeats, 0)} resends answered with the stored message, ` +
        `${total} stored after`,
    );
    for (const client of clients) client.close();
  });
});
