import { mkdirSync, writeFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../scripts/local-server.ts";
import { PASSWORD } from "../shared/fixtures.ts";
import { fixturesAt, openSocket } from "../shared/node-client.ts";
import { call, type HardServer, pool, seededRandom as random, startHardServer } from "./helpers.ts";

// Bad input: thousands of malformed HTTP requests and WebSocket frames, generated from a seed
// (BAD_INPUT_SEED replays a run): random methods, paths, bodies, content types and tokens, huge and
// deeply nested JSON, bad percent-encoding, binary frames. Not one answer may be a 5xx, every API
// error must have the API.md shape, sockets must stay usable, and the server healthy afterwards.

const HTTP_REQUESTS = 4200;
const WS_FRAMES = 1200;

type Case = { method: string; path: string; headers: Record<string, string>; body?: Buffer; label: string };
type Outcome = { status: number; contentType: string; text: string };

const ERROR_CODES = new Set([
  "invalid_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
]);

/** API.md: {"error": {"code": "<snake_case>", "message": "<sentence>", "details"?}}. Null if fine. */
function shapeProblem(outcome: Outcome): string | null {
  if (!outcome.contentType.includes("application/json")) return `content-type ${outcome.contentType}`;
  let body: unknown;
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return "body is not JSON";
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code !== "string" || !ERROR_CODES.has(error.code)) return `code ${String(error?.code)}`;
  if (typeof error.message !== "string" || error.message.length === 0) return "no message";
  return null;
}

const agent = new Agent({ keepAlive: true, maxSockets: 12 });

function send(base: URL, item: Case, fresh = false): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method: item.method,
        path: item.path,
        headers: item.headers,
        agent: fresh ? false : agent,
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"] ?? ""),
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    // A 101: the server accepted an upgrade; that is an answer, not a failure.
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101, contentType: "", text: "" });
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(item.body);
  });
}

let hard: HardServer;
const { signUp, publicRoom } = fixturesAt(() => hard.url());

beforeAll(async () => {
  hard = await startHardServer();
});

afterAll(async () => {
  agent.destroy();
  await hard?.dispose();
});

describe("bad input", () => {
  it(`answers ${HTTP_REQUESTS} malformed requests and ${WS_FRAMES} malformed frames without a 5xx`, async () => {
    const seed = Number(process.env.BAD_INPUT_SEED ?? 5005);
    const rand = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
    const base = hard.url();
    const owner = await signUp("fuzz_owner");
    const member = await signUp("fuzz_member");
    const outsider = await signUp("fuzz_outsider");
    const { id: roomId } = await publicRoom(owner, [member]);
    // The frames go to a room (and people) the HTTP requests never name: those may leave or
    // delete the first room, which is fine, but the sockets must stay members.
    const talker = await signUp("fuzz_talker");
    const { id: quietRoomId } = await publicRoom(talker, []);
    await call(base, "POST", `/api/rooms/${roomId}/messages`, {
      token: owner.accessToken,
      body: { body: "a message to edit and delete", clientId: "fuzz-1" },
    });
    const secretKey = new TextEncoder().encode(hard.secret);
    const sign = (claims: Record<string, unknown>, expires: string | number = "15m") =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer("hubbub")
        .setAudience("hubbub-api")
        .setIssuedAt()
        .setExpirationTime(expires)
        .sign(secretKey);
    const expired = await sign({ sub: owner.user.id, sid: "x" }, Math.floor(Date.now() / 1000) - 60);
    const noSid = await sign({ sub: owner.user.id });
    // Well signed, for a user who does not exist (say, a token kept across a wiped dev database).
    const ghost = await sign({ sub: "5f0c1e2d-0000-4000-8000-000000000000", sid: "gone" });
    const wrongKey = await new SignJWT({ sub: owner.user.id, sid: "x" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("hubbub")
      .setAudience("hubbub-api")
      .setExpirationTime("15m")
      .sign(new TextEncoder().encode("x".repeat(40)));
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const algNone = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: owner.user.id, sid: "x", iss: "hubbub", aud: "hubbub-api", exp: 9999999999 })}.`;
    const [head, payload, signature] = owner.accessToken.split(".");
    const tampered = `${head}.${b64({ ...JSON.parse(Buffer.from(payload ?? "", "base64url").toString()), sub: outsider.user.id })}.${signature}`;

    const tokens: (string | null)[] = [
      null,
      owner.accessToken,
      member.accessToken,
      outsider.accessToken,
      expired,
      noSid,
      wrongKey,
      algNone,
      tampered,
      "",
      "not-a-token",
      "a.b.c",
      "x".repeat(8000),
      "%E0%A4%A",
      `${owner.accessToken}x`,
    ];
    // Half the requests carry a good token of a member, the owner or an outsider, so that they get
    // past authentication to validation, authorization and the database; the rest carry junk.
    const authHeaders = (token: string | null): Record<string, string> => {
      if (rand() < 0.5)
        return {
          authorization: `Bearer ${pick([owner.accessToken, member.accessToken, outsider.accessToken, ghost])}`,
        };
      if (token === null) return {};
      return {
        authorization: pick([
          `Bearer ${token}`,
          `bearer ${token}`,
          `Basic ${token}`,
          token,
          "Bearer",
          `Bearer  ${token} junk`,
        ]),
      };
    };

    const ids = [
      roomId,
      owner.user.id,
      "00000000-0000-0000-0000-000000000000",
      "%",
      "%zz",
      "%E0%A4%A",
      "%00",
      "%2e%2e",
      "..%2f..%2f",
      "x".repeat(3000),
      "%F0%9F%98%80",
      "-1",
      "1e309",
      "null",
      "%25%",
      "a%20b",
      "%C0%AF",
    ];
    const id = () => (rand() < 0.4 ? roomId : pick(ids));
    const seq = () => pick(["1", "0", "-1", "abc", "1.5", "999999999999999999999", "%", "%zz", "1e3", "NaN"]);
    const paths = [
      () => "/api/auth/register",
      () => "/api/auth/login",
      () => "/api/auth/refresh",
      () => "/api/auth/logout",
      () => "/api/auth/verify",
      () => "/api/users/me",
      () => "/api/users/me/password",
      () => "/api/users",
      () => `/api/users/${id()}`,
      () => "/api/rooms",
      () => "/api/rooms/discover",
      () => "/api/rooms/direct",
      () => `/api/rooms/${id()}`,
      () => `/api/rooms/${id()}/join`,
      () => `/api/rooms/${id()}/leave`,
      () => `/api/rooms/${id()}/members`,
      () => `/api/rooms/${id()}/members/${id()}`,
      () => `/api/rooms/${id()}/messages`,
      () => `/api/rooms/${id()}/messages/${seq()}`,
      () => `/api/rooms/${id()}/read`,
      () => `/api/rooms/${id()}/ws`,
      () => "/api/ws",
      () => "/api/openapi.json",
      () => `/api/${id()}`,
      () => "/api",
      () => "/api/",
      () => "/api//rooms",
      () => `/api/rooms/${roomId}/messages/1/`,
    ];
    const queries = [
      "",
      "",
      "?limit=abc",
      "?limit=-1",
      "?limit=0",
      "?limit=101",
      "?limit=1e309",
      "?before=1&after=2",
      "?before=-1",
      "?after=%zz",
      "?q=%",
      `?q=${"a".repeat(2000)}`,
      "?q=%E0%A4%A",
      "?since=-5",
      "?since=abc",
      "?since=1e400",
      `?token=${owner.accessToken}`,
      "?token=%zz",
      "?limit=10&limit=20",
      "?before=9007199254740993",
      "?%=%",
      "?&&&=&",
    ];
    const contentTypes = [
      null,
      "application/json",
      "application/json",
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json, text/plain",
      "application/jsonx",
      "application/merge-patch+json",
      "*/*",
      "",
    ];
    const nested = (depth: number, open: string, close: string) =>
      `${open.repeat(depth)}${close.repeat(depth)}`;
    const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const plausible = (): Record<string, unknown> =>
      pick<Record<string, unknown>>([
        {
          username: pick(["ab", "a".repeat(33), "bad name", "ok_name", 5, null, "💥💥💥", "fuzz_owner"]),
          password: pick(["short", "x".repeat(129), 12345678, PASSWORD]),
        },
        { username: "fuzz_owner", password: pick(["wrong password", "", null]) },
        { refreshToken: pick(["", "x", 5, null, "a".repeat(5000)]) },
        { token: pick(["", owner.accessToken, 5, null, algNone]) },
        { displayName: pick(["", "x".repeat(65), 5, null, "ok"]), bio: pick(["x".repeat(501), 7, null]) },
        { currentPassword: pick(["", 5]), newPassword: pick(["short", "x".repeat(200)]) },
        {
          name: pick(["", " ", "x".repeat(81), 5, null, "room"]),
          kind: pick(["public", "private", "direct", "secret", 1, null]),
          topic: pick(["x".repeat(251), 5, null]),
        },
        {
          userId: pick([
            owner.user.id,
            outsider.user.id,
            member.user.id,
            "",
            5,
            null,
            "x".repeat(5000),
            "00000000-0000-0000-0000-000000000000",
          ]),
        },
        {
          userId: pick([outsider.user.id, member.user.id, "nobody"]),
          role: pick(["owner", "admin", "member", "god", 5]),
        },
        {
          body: pick(["", "   ", "x".repeat(4001), 5, null, ["a"], "\ud800", "ok body"]),
          clientId: pick(["", "x".repeat(65), 5, null, "fuzz-1", "c-\u0000"]),
        },
        { seq: pick([-1, 1.5, "1", null, 1e308, Number.MAX_SAFE_INTEGER, 0]) },
      ]);
    const bodies: (() => Buffer | undefined)[] = [
      () => undefined,
      () => Buffer.alloc(0),
      () => Buffer.from(JSON.stringify(plausible())),
      () => Buffer.from(JSON.stringify(plausible())),
      () => Buffer.from(JSON.stringify(plausible())),
      () => Buffer.from(JSON.stringify(plausible()).slice(0, -3)),
      () =>
        Buffer.from(
          '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"body":"proto","name":"p"}',
        ),
      () => Buffer.from(pick(["null", "1", '"str"', "[]", "true", "{}", "[{}]", "1e400", '{"a":1,"a":2}'])),
      () =>
        Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 2000) }, () => Math.floor(rand() * 256))),
      () =>
        Buffer.from(
          pick([
            "{",
            "}",
            "{'a':1}",
            '{"a":}',
            '{"a":1,}',
            "\u0000",
            "\ufeff{}",
            '{"body":"\\ud800"}',
            '{"body":"\\u0000"}',
          ]),
        ),
      () => Buffer.from(JSON.stringify({ body: "x".repeat(60_000) })),
      () => Buffer.from(JSON.stringify({ body: "x".repeat(70_000) })),
      () => Buffer.from(JSON.stringify({ body: "x".repeat(1_000_000) })),
      () => Buffer.from(nested(pick([100, 1000, 10_000, 30_000]), "[", "]")),
      () => Buffer.from(nestedObject(pick([100, 1000, 5000, 10_000]))),
      () =>
        Buffer.from(
          JSON.stringify({ username: "a", password: "b", extra: Array.from({ length: 3000 }, (_, i) => i) }),
        ),
      () => Buffer.from("username=alice&password=correct+horse"),
    ];
    // Only methods the runtime knows: workerd itself answers an unknown one (e.g. FOO) with
    // 501 text/plain before any Worker runs, as it answers a non-GET WebSocket upgrade with 400.
    const methods = [
      "GET",
      "GET",
      "POST",
      "POST",
      "POST",
      "PUT",
      "PATCH",
      "PATCH",
      "DELETE",
      "DELETE",
      "OPTIONS",
      "HEAD",
      "PROPFIND",
      "TRACE",
    ];

    const cases: Case[] = [];
    // Dot segments are resolved before routing (/api/%2e%2e is /): keep every request inside /api.
    const insideApi = (path: string) => /^\/api(\/|$)/.test(new URL(path, "http://x").pathname);
    for (let index = 0; index < HTTP_REQUESTS; index++) {
      const method = pick(methods);
      let path = `${pick(paths)()}${pick(queries)}`;
      while (!insideApi(path)) path = `${pick(paths)()}${pick(queries)}`;
      const headers: Record<string, string> = { ...authHeaders(pick(tokens)) };
      const contentType = rand() < 0.4 ? "application/json" : pick(contentTypes);
      if (contentType !== null) headers["content-type"] = contentType;
      if (method === "GET" && path.includes("/ws") && rand() < 0.5) {
        headers.upgrade = "websocket";
        headers.connection = "Upgrade";
        if (rand() < 0.7) headers["sec-websocket-key"] = pick(["dGhlIHNhbXBsZSBub25jZQ==", "bad", ""]);
        if (rand() < 0.7) headers["sec-websocket-version"] = pick(["13", "8", "x"]);
      }
      const body =
        method === "GET" || method === "HEAD" ? (rand() < 0.1 ? pick(bodies)() : undefined) : pick(bodies)();
      if (body !== undefined) headers["content-length"] = String(body.length);
      cases.push({ method, path, headers, body, label: `#${index}` });
    }

    // ── HTTP ──────────────────────────────────────────────────────────────────────────────────
    const target = new URL(base);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let retried = 0;
    await pool(cases, 12, async (item) => {
      let outcome: Outcome;
      try {
        outcome = await send(target, item);
      } catch {
        // A kept-alive connection the server closed (it may, after refusing a body it did not
        // read) can race with its reuse: ask again once on a new connection.
        retried++;
        try {
          outcome = await send(target, item, true);
        } catch (error) {
          failures.push(`${item.method} ${item.path.slice(0, 200)}: no answer (${String(error)})`);
          return;
        }
      }
      statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      const describe = () =>
        `${item.method} ${item.path.slice(0, 200)} ${JSON.stringify(item.headers).slice(0, 300)} body=${item.body?.subarray(0, 120).toString("utf8") ?? "-"}: ${outcome.status} ${outcome.text.slice(0, 300)}`;
      // RFC 6455 handshake errors (no or bad Sec-WebSocket-Key, a version other than 13) are refused
      // by the runtime itself once the Worker accepts the upgrade: 400 or 426, text/plain "ERROR: …".
      const badHandshake =
        item.headers.upgrade === "websocket" &&
        (item.headers["sec-websocket-key"] !== "dGhlIHNhbXBsZSBub25jZQ==" ||
          item.headers["sec-websocket-version"] !== "13");
      const runtimeRefusal =
        badHandshake && [400, 426].includes(outcome.status) && outcome.text.startsWith("ERROR:");
      if (outcome.status >= 500) failures.push(`5xx: ${describe()}`);
      else if (outcome.status >= 400 && item.method !== "HEAD" && !runtimeRefusal) {
        const problem = shapeProblem(outcome);
        if (problem) failures.push(`shape (${problem}): ${describe()}`);
      }
    });

    // ── WebSocket frames ──────────────────────────────────────────────────────────────────────
    // A string goes as a text frame, a Buffer as a binary one.
    const frames: (string | Buffer)[] = [];
    /** A text frame (its string as it is). */
    const text = (value: string) => value;
    const frameMakers: (() => string | Buffer)[] = [
      () => Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 500) }, () => Math.floor(rand() * 256))),
      () => Buffer.from('{"type":"message","body":"binary","clientId":"b"}'),
      () =>
        text(
          pick([
            "",
            " ",
            "{",
            "null",
            "1",
            '"message"',
            "[]",
            "[{}]",
            "{}",
            "true",
            "\u0000",
            "\ufeff{}",
            "{'type':'ping'}",
          ]),
        ),
      () =>
        text(
          JSON.stringify({
            type: pick([
              "",
              "Message",
              "MESSAGE",
              "nope",
              null,
              5,
              ["message"],
              "__proto__",
              "constructor",
              "welcome",
              "error",
            ]),
          }),
        ),
      () =>
        text(
          JSON.stringify({
            type: "message",
            body: pick(["", "  ", null, 5, ["x"], { a: 1 }, "x".repeat(4001), "\ud800", "ok"]),
            clientId: pick([undefined, "", null, 5, "x".repeat(65), "🙂".repeat(64), "ok"]),
          }),
        ),
      () => text(JSON.stringify({ type: "typing", typing: pick(["yes", 1, null, undefined, {}]) })),
      () =>
        text(
          JSON.stringify({
            type: "read",
            seq: pick([-1, 1.5, "1", null, 1e308, Number.MAX_SAFE_INTEGER + 2]),
          }),
        ),
      () => text('{"type":"read","seq":1e400}'),
      () => text(JSON.stringify({ type: "message", body: "x".repeat(17_000), clientId: "big" })),
      () => text(`{"type":"message","body":"${"é".repeat(9000)}","clientId":"wide"}`),
      () => text(nested(pick([1000, 10_000, 100_000]), "[", "]")),
      () => text(nestedObject(pick([1000, 5000]))),
      () => text(`{"type":"message","body":"ok","clientId":"c","__proto__":{"type":"ping"}}`),
      () => text(JSON.stringify({ type: "ping", extra: "x".repeat(15_000) })),
      () => text("x".repeat(200_000)),
    ];
    for (let index = 0; index < WS_FRAMES; index++) frames.push(pick(frameMakers)());

    const wsBase = base.replace("http", "ws");
    const sockets = await Promise.all(
      Array.from({ length: 6 }, () =>
        openSocket(`${wsBase}/api/rooms/${quietRoomId}/ws?token=${talker.accessToken}`, {
          perMessageDeflate: false,
        }),
      ),
    );
    let sent = 0;
    for (const frame of frames) {
      sockets[sent++ % sockets.length]?.send(frame);
      if (sent % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Each socket answers a ping last: everything sent before it has been handled.
    await Promise.all(sockets.map((socket) => socket.sync(30_000)));
    const frameErrors = new Map<string, number>();
    for (const socket of sockets) {
      if (socket.closedWith) failures.push(`a socket was closed by bad frames: ${socket.closedWith.code}`);
      // Checked as the server sent them, not as the protocol's types say they are.
      for (const frame of socket.all("error") as { code?: string; message?: unknown }[]) {
        frameErrors.set(frame.code ?? "?", (frameErrors.get(frame.code ?? "?") ?? 0) + 1);
        if (
          !["invalid_request", "payload_too_large", "rate_limited"].includes(frame.code ?? "") ||
          typeof frame.message !== "string"
        )
          failures.push(`error frame shape: ${JSON.stringify(frame).slice(0, 300)}`);
      }
    }
    const errorFrames = [...frameErrors.values()].reduce((sum, count) => sum + count, 0);
    for (const socket of sockets) await socket.close();

    // ── Healthy afterwards, and nothing unhandled in the server's output ──────────────────────
    const docs = await call(base, "GET", "/api/openapi.json");
    expect(docs.status).toBe(200);
    const late = await signUp("fuzz_after");
    const joined = await call(base, "POST", `/api/rooms/${quietRoomId}/join`, { token: late.accessToken });
    expect(joined.status).toBe(200);
    const posted = await call(base, "POST", `/api/rooms/${quietRoomId}/messages`, {
      token: late.accessToken,
      body: { body: "still here", clientId: "after-1" },
    });
    expect(posted.status).toBe(201);
    const output = hard.server.output();
    const unhandled = output
      .split("\n")
      .filter((line) => /unhandled error|Uncaught|internal_error/i.test(line));

    console.info(
      `bad input (seed ${seed}): ${cases.length} requests (${retried} retried on a new connection), statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; ` +
        `${frames.length} frames, error frames ${JSON.stringify(Object.fromEntries(frameErrors))}`,
    );
    if (failures.length > 0 || unhandled.length > 0) {
      // Everything, for a bug report: each failing request and the server's own output (stacks).
      const dir = join(projectRoot, "test-results");
      mkdirSync(dir, { recursive: true });
      const file = join(dir, "bad-input-failures.txt");
      writeFileSync(file, `seed ${seed}\n\n${failures.join("\n\n")}\n\n── server output ──\n${output}`);
      console.info(`${failures.length} failures; all of them and the server output: ${file}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(cases.length + frames.length).toBeGreaterThanOrEqual(5000);
    expect(errorFrames).toBeGreaterThan(frames.length / 2);
  });
});
