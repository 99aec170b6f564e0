// The load generator: `ws` clients in this one Node process, shared by both servers so that the
// comparison is like for like. Every message carries a unique clientId; the generator notes when it
// sent it, and every other member of the room notes when it arrived, which gives the latency (send
// to receive at each other member), and catches lost and duplicated deliveries.

import WebSocket from "ws";
import { pool } from "../../scripts/pool.ts";

/** The frames the load generator reads (the rest it only counts or skips). */
type Frame = {
  type: string;
  clientId?: string;
  message?: { seq: number; clientId: string | null };
};

export type SocketSpec = { url: string; room: number };

export type LoadResult = {
  clients: number;
  rooms: number;
  messagesSent: number;
  /** Messages the server refused with an error frame (rate limit, validation): none expected. */
  errorFrames: number;
  deliveries: number;
  expectedDeliveries: number;
  lost: number;
  duplicated: number;
  /** A member saw a message with a lower seq after a higher one. */
  outOfOrder: number;
  /** Receipt frames received during the run, per message sent (Hubbub's delivery/read markers). */
  receiptFramesPerMessage: number;
  /** WebSocket messages that were `{type:"batch"}` frames (only with ?batch=1), per message sent. */
  batchesPerMessage: number;
  durationMs: number;
  deliveriesPerSec: number;
  messagesPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU of this load generator during the run, % of one core (it shares the machine). */
  clientCpuPct: number;
};

type Client = {
  index: number;
  room: number;
  ws: WebSocket;
  seen: Set<string>;
  lastSeq: number;
  /** clientId of the message this client waits to see confirmed (closed loop). */
  waitingFor: string | null;
  sentCount: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export function openClient(url: string, timeoutMs = 30_000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // No permessage-deflate: compression would spend the shared CPU on both ends.
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`connect timed out: ${url}`));
    }, timeoutMs);
    ws.once("open", () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.once("unexpected-response", (_request, response) => {
      clearTimeout(timer);
      reject(new Error(`HTTP ${response.statusCode} for ${url}`));
    });
    ws.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export type Mode =
  /** Each client sends `messages`, one in flight at a time: the next once its own comes back. */
  | { kind: "closed-loop"; messages: number }
  /** Clients connect, stay idle for `idleMs`, then all send `messages` at once. */
  | { kind: "burst"; messages: number; idleMs: number }
  /**
   * The first `senders` clients each send one message every 1000 / `perSecond` ms for `durationMs`,
   * whatever comes back (an open loop, like people typing), their starts spread over one period.
   */
  | { kind: "paced"; perSecond: number; durationMs: number; senders: number };

export type Hooks = {
  /** Called once every socket is open, before the idle time and the sends. */
  connected?: () => void | Promise<void>;
  /** Called after the idle time of a burst, right before the first send. */
  idled?: () => void;
  /** Called right before the first send. */
  sending?: () => void;
};

/** Connects every socket, runs the mode, waits for all deliveries (or `drainMs` without progress). */
export async function runLoad(
  tag: string,
  specs: SocketSpec[],
  mode: Mode,
  hooks: Hooks = {},
  drainMs = 10_000,
): Promise<LoadResult> {
  const roomSizes = new Map<number, number>();
  for (const spec of specs) roomSizes.set(spec.room, (roomSizes.get(spec.room) ?? 0) + 1);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let deliveries = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  let errorFrames = 0;
  let receiptFrames = 0;
  let counting = false;
  let expectedDeliveries = 0;
  let lastProgress = performance.now();
  let lastDelivery = 0;
  let firstSend = 0;
  let finishedSenders = 0;
  const messageCount =
    mode.kind === "paced" ? Math.floor((mode.durationMs / 1000) * mode.perSecond) : mode.messages;
  let batches = 0;

  const sendNext = (client: Client) => {
    if (client.sentCount >= messageCount) {
      client.waitingFor = null;
      finishedSenders++;
      return;
    }
    const clientId = `${tag}.${client.index}.${client.sentCount++}`;
    client.waitingFor = clientId;
    sentAt.set(clientId, performance.now());
    expectedDeliveries += (roomSizes.get(client.room) ?? 1) - 1;
    client.ws.send(JSON.stringify({ type: "message", body: `load ${clientId}`, clientId }));
  };

  // A WebSocket message's arrival time is taken before anything is parsed, and a batch is parsed once:
  // the load generator's own JSON work is not the server's latency (and a batch costs it no more).
  const onFrame = (client: Client, text: string): void => {
    const now = performance.now();
    if (text.startsWith('{"type":"batch"')) {
      // ?batch=1: one WebSocket message holds the frames of one turn, in order.
      if (counting) batches++;
      const { frames } = JSON.parse(text) as { frames: Frame[] };
      for (const frame of frames) onParsed(client, frame, now);
      return;
    }
    // Only messages and errors are read; the others are told apart by their start.
    if (text.startsWith('{"type":"message"') || text.startsWith('{"type":"error"'))
      onParsed(client, JSON.parse(text) as Frame, now);
    else if (counting && text.startsWith('{"type":"receipt')) receiptFrames++;
  };

  const onParsed = (client: Client, frame: Frame, now: number): void => {
    if (frame.type === "error") {
      errorFrames++;
      if (mode.kind === "closed-loop" && frame.clientId && frame.clientId === client.waitingFor) {
        expectedDeliveries -= (roomSizes.get(client.room) ?? 1) - 1;
        sendNext(client);
      }
      return;
    }
    if (frame.type === "receipt") {
      if (counting) receiptFrames++;
      return;
    }
    if (frame.type !== "message" || !frame.message) return; // welcome, presence, typing
    const { message } = frame;
    const clientId = message.clientId ?? "";
    if (message.seq <= client.lastSeq) outOfOrder++;
    client.lastSeq = message.seq;
    lastProgress = now;
    if (clientId.startsWith(`${tag}.${client.index}.`)) {
      // Our own message, back: the send is confirmed.
      if (mode.kind === "closed-loop" && clientId === client.waitingFor) sendNext(client);
      return;
    }
    if (client.seen.has(clientId)) {
      duplicated++;
      return;
    }
    client.seen.add(clientId);
    const at = sentAt.get(clientId);
    if (at === undefined) return; // not from this run
    deliveries++;
    lastDelivery = now;
    latencies.push(now - at);
  };

  const sockets = await pool(specs, 32, (spec) => openClient(spec.url));
  const clients: Client[] = sockets.map((ws, index) => ({
    index,
    room: (specs[index] as SocketSpec).room,
    ws,
    seen: new Set(),
    lastSeq: 0,
    waitingFor: null,
    sentCount: 0,
  }));
  for (const client of clients) client.ws.on("message", (data) => onFrame(client, String(data)));
  // Let welcome, presence and receipt frames of the connection phase settle.
  await sleep(500);
  await hooks.connected?.();
  if (mode.kind === "burst") {
    await sleep(mode.idleMs);
    hooks.idled?.();
  }

  hooks.sending?.();
  counting = true;
  const cpuBefore = process.cpuUsage();
  firstSend = performance.now();
  lastProgress = firstSend;
  if (mode.kind === "closed-loop") {
    for (const client of clients) sendNext(client);
  } else if (mode.kind === "burst") {
    for (let round = 0; round < mode.messages; round++) for (const client of clients) sendNext(client);
    finishedSenders = clients.length;
  } else {
    finishedSenders = clients.length - Math.min(mode.senders, clients.length);
    await paced(clients.slice(0, mode.senders), mode.perSecond, sendNext);
  }

  while (performance.now() - lastProgress < drainMs) {
    if (finishedSenders === clients.length && deliveries + duplicated >= expectedDeliveries) break;
    await sleep(20);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const end = lastDelivery || performance.now();
  for (const client of clients) client.ws.terminate();

  const durationMs = Math.max(1, end - firstSend);
  const sorted = Float64Array.from(latencies).sort();
  const messagesSent = clients.reduce((sum, client) => sum + client.sentCount, 0);
  return {
    clients: clients.length,
    rooms: roomSizes.size,
    messagesSent,
    errorFrames,
    deliveries,
    expectedDeliveries,
    lost: Math.max(0, expectedDeliveries - deliveries),
    duplicated,
    outOfOrder,
    receiptFramesPerMessage: messagesSent > 0 ? Math.round((receiptFrames / messagesSent) * 10) / 10 : 0,
    batchesPerMessage: messagesSent > 0 ? Math.round((batches / messagesSent) * 10) / 10 : 0,
    durationMs: Math.round(durationMs),
    deliveriesPerSec: Math.round(deliveries / (durationMs / 1000)),
    messagesPerSec: Math.round(messagesSent / (durationMs / 1000)),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(percentile(sorted, 100)),
    clientCpuPct: Math.round(((cpu.user + cpu.system) / 1000 / durationMs) * 100),
  };
}

/**
 * Each sender sends on its own clock, one message per period until it has sent its share; the
 * starts are spread evenly over one period so that the room sees a steady stream, not waves.
 * sendNext counts a sender as finished on the call after its last message.
 */
async function paced(senders: Client[], perSecond: number, sendNext: (client: Client) => void) {
  const period = 1000 / perSecond;
  await Promise.all(
    senders.map(
      (client, index) =>
        new Promise<void>((resolve) => {
          const started = performance.now() + (period * index) / senders.length;
          const tick = () => {
            sendNext(client);
            if (client.waitingFor === null) return resolve();
            // Scheduled from the start time, so that a late tick does not push every later one.
            const next = started + client.sentCount * period;
            setTimeout(tick, Math.max(0, next - performance.now()));
          };
          setTimeout(tick, Math.max(0, started - performance.now()));
        }),
    ),
  );
}
