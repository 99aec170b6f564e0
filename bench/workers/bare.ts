// Bench only: a bare broadcast Durable Object, the floor Hubbub is measured against.
//
//   GET  /health                                  200 "ok"
//   GET  /rooms/{name}/ws?user={id}               a socket in room {name}, as user {id} (no auth)
//   POST /rooms/{name}/seed?count={n}             d only: n rows straight into the object's SQLite
//   GET  /rooms/{name}/messages?before=&limit=    d only: a page, with the same query Hubbub uses
//
// A `message` frame {type, body, clientId} gets a seq (in memory) and is broadcast, serialised once,
// to every socket of the room, the sender's included, in the shape Hubbub uses. Nothing is stored
// and nothing is checked: this is what one Durable Object can do with the same sockets and frames.
//
// Written against the few Workers APIs it uses (declared below) so that it type-checks with the
// bench's Node tsconfig; the runtime is workerd.

type WorkerSocket = {
  send(data: string): void;
  serializeAttachment(value: unknown): void;
  deserializeAttachment(): unknown;
};
type SqlCursor = { toArray(): Record<string, unknown>[] };
type State = {
  acceptWebSocket(socket: WorkerSocket, tags?: string[]): void;
  getWebSockets(tag?: string): WorkerSocket[];
  storage: {
    sql: { exec(query: string, ...bindings: unknown[]): SqlCursor };
    transactionSync<T>(fn: () => T): T;
  };
};
type Stub = { fetch(request: Request): Promise<Response> };
type Namespace = { idFromName(name: string): unknown; get(id: unknown): Stub };
type Env = { ROOMS: Namespace };

declare const WebSocketPair: new () => { 0: WorkerSocket; 1: WorkerSocket };

const switching = (client: WorkerSocket) =>
  new Response(null, { status: 101, webSocket: client } as ResponseInit);

export class BareRoom {
  private seq = 0;
  private schemaReady = false;

  private readonly state: State;

  constructor(state: State, _env: Env) {
    this.state = state;
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const room = url.pathname.split("/")[2] ?? "";
    if (url.pathname.endsWith("/ws")) {
      const pair = new WebSocketPair();
      this.state.acceptWebSocket(pair[1]);
      pair[1].serializeAttachment({ userId: url.searchParams.get("user") ?? "anonymous", room });
      return switching(pair[0]);
    }
    if (url.pathname.endsWith("/seed")) return this.seed(Number(url.searchParams.get("count") ?? 0));
    if (url.pathname.endsWith("/messages")) {
      const before = Number(url.searchParams.get("before") ?? Number.MAX_SAFE_INTEGER);
      const limit = Number(url.searchParams.get("limit") ?? 50);
      return Response.json(this.page(room, before, limit));
    }
    return new Response("not found", { status: 404 });
  }

  webSocketMessage(socket: WorkerSocket, data: string | ArrayBuffer): void {
    if (typeof data !== "string") return;
    let frame: { type?: unknown; body?: unknown; clientId?: unknown };
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame.type !== "message") return;
    const { userId, room } = socket.deserializeAttachment() as { userId: string; room: string };
    const message = {
      id: crypto.randomUUID(),
      roomId: room,
      seq: ++this.seq,
      userId,
      body: frame.body,
      clientId: frame.clientId,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
    };
    const text = JSON.stringify({ type: "message", message });
    for (const peer of this.state.getWebSockets()) {
      try {
        peer.send(text);
      } catch {
        // closing
      }
    }
  }

  webSocketClose(): void {}

  // ── d: history pages from the object's own SQLite, without auth, D1 or RPC ───────────────────

  private schema(): void {
    if (this.schemaReady) return;
    this.state.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, user_id TEXT NOT NULL,
       body TEXT NOT NULL, client_id TEXT, created_at INTEGER NOT NULL, edited_at INTEGER, deleted_at INTEGER)`,
    );
    this.schemaReady = true;
  }

  private seed(count: number): Response {
    this.schema();
    const sql = this.state.storage.sql;
    const last = Number(sql.exec("SELECT coalesce(max(seq), 0) AS seq FROM messages").toArray()[0]?.seq ?? 0);
    this.state.storage.transactionSync(() => {
      for (let seq = last + 1; seq <= last + count; seq++) {
        sql.exec(
          "INSERT INTO messages (seq, id, user_id, body, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
          seq,
          crypto.randomUUID(),
          `user-${seq % 4}`,
          `seed message ${seq}`,
          `seed-${seq}`,
          Date.now(),
        );
      }
    });
    return Response.json({ lastSeq: last + count });
  }

  private page(room: string, before: number, limit: number) {
    this.schema();
    const rows = this.state.storage.sql
      .exec("SELECT * FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?", before, limit + 1)
      .toArray();
    const iso = (ms: unknown) => (typeof ms === "number" ? new Date(ms).toISOString() : null);
    const messages = rows
      .slice(0, limit)
      .reverse()
      .map((row) => ({
        id: row.id,
        roomId: room,
        seq: row.seq,
        userId: row.user_id,
        body: row.body,
        clientId: row.client_id,
        createdAt: iso(row.created_at),
        editedAt: iso(row.edited_at),
        deletedAt: iso(row.deleted_at),
      }));
    return { messages, hasMore: rows.length > limit };
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/health") return new Response("ok");
    const match = /^\/rooms\/([^/]+)\/(ws|seed|messages)$/.exec(url.pathname);
    if (!match?.[1]) return new Response("not found", { status: 404 });
    return env.ROOMS.get(env.ROOMS.idFromName(match[1])).fetch(request);
  },
};
