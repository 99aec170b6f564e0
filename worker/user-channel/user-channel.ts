import { DurableObject } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { users } from "../db/schema";
import type { ChannelFrame } from "../protocol/frames";
import { Connections } from "../sockets/connections";
import { answerPingsWhileAsleep, completeClose } from "../sockets/lifecycle";

// A user's own channel (GET /api/ws): one Durable Object per user that keeps their room list live
// (room_updated / room_added / room_removed) over a single socket per signed-in client, instead of
// a socket per room. It also decides whether the user is online: while any of its sockets is open.
// D1 hears about that only on the transitions (first socket opened, last one closed), never per frame.
//
// Sockets use the Hibernation API; the user's id rides in each socket's attachment, so a woken
// object knows whom it serves without any field surviving.

type ChannelSocket = { userId: string };

export class UserChannel extends DurableObject<Env> {
  private readonly sockets: Connections<ChannelSocket, ChannelFrame>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sockets = new Connections(ctx);
    answerPingsWhileAsleep(ctx);
  }

  /** The Worker forwards a verified user's upgrade here as /connect?userId. */
  override async fetch(request: Request): Promise<Response> {
    const userId = new URL(request.url).searchParams.get("userId");
    if (!userId) return new Response("bad internal request", { status: 400 });
    const wasOnline = this.sockets.open().length > 0;
    const { 0: client, 1: server } = new WebSocketPair();
    this.sockets.accept(server, { userId });
    if (!wasOnline) await this.setOnline(userId, true);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Forwards a frame to every open socket of this user; true if at least one took it. */
  async deliver(frame: ChannelFrame): Promise<boolean> {
    return this.sockets.broadcast(frame).length > 0;
  }

  override async webSocketMessage(socket: WebSocket, data: string | ArrayBuffer): Promise<void> {
    // The channel only listens for pings (usually answered without waking us); it has no commands.
    const isPing =
      typeof data === "string" && data.length < 100 && /^\s*\{\s*"type"\s*:\s*"ping"\s*\}\s*$/.test(data);
    this.sockets.send(
      socket,
      isPing
        ? { type: "pong" }
        : { type: "error", code: "invalid_request", message: "This channel accepts only ping frames." },
    );
  }

  override async webSocketClose(socket: WebSocket, code: number, reason: string): Promise<void> {
    completeClose(socket, code, reason);
    await this.closed(socket);
  }

  override async webSocketError(socket: WebSocket): Promise<void> {
    await this.closed(socket);
  }

  private async closed(socket: WebSocket): Promise<void> {
    const { userId } = this.sockets.state(socket);
    const others = this.sockets.open().filter((other) => other !== socket);
    if (others.length === 0) await this.setOnline(userId, false);
  }

  private async setOnline(userId: string, online: boolean): Promise<void> {
    await database(this.env.DB)
      .update(users)
      .set(online ? { online: true } : { online: false, lastSeenAt: new Date() })
      .where(eq(users.id, userId));
  }
}
