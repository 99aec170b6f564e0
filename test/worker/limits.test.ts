import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { clientAddress } from "../../worker/limits/client-address";
import { parseRate } from "../../worker/limits/rules";
import {
  type ApiResponse,
  api,
  errorOf,
  newAddress,
  PASSWORD,
  privatePair,
  roomSocket,
  type SignedIn,
  send,
  signUp,
  uniqueName,
} from "./helpers";

// Rate limits (API.md "Safety rules"): counted before the work they guard, per client address for
// sign-up and sign-in, per person for the rest; 429 rate_limited with Retry-After beyond.

function login(username: string, password: string, address: string) {
  return api<SignedIn>("POST", "/api/auth/login", {
    body: { username, password },
    headers: { "CF-Connecting-IP": address },
  });
}

function expectRateLimited(response: ApiResponse<unknown>, maxSeconds: number): number {
  expect(response.status).toBe(429);
  expect(errorOf(response).code).toBe("rate_limited");
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  return retryAfter;
}

/** The app with some settings changed, called as a client would. */
function withSettings(settings: Partial<Record<keyof Env, string>>) {
  const app = createApp();
  return async <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; address?: string } = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { "CF-Connecting-IP": options.address ?? newAddress() };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const response = await app.request(path, { method, headers, body }, { ...env, ...settings });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text ? JSON.parse(text) : null) as T,
    };
  };
}

/** Waits until the pair's back-off has passed: the next attempt is answered by a password check. */
async function untilChecked(attempt: () => Promise<ApiResponse<unknown>>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await attempt();
    if (answer.status !== 429) return answer;
    if (Date.now() > deadline) throw new Error(`still 429 after ${timeoutMs} ms`);
    await scheduler.wait(100);
  }
}

describe("sign-up", () => {
  it("is limited per client address: 20 an hour, counted atomically, and another address is unaffected", async () => {
    const address = newAddress();
    const answers = await Promise.all(
      Array.from({ length: 25 }, () =>
        api("POST", "/api/auth/register", {
          body: { username: uniqueName("many"), password: PASSWORD },
          headers: { "CF-Connecting-IP": address },
        }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(20);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(refused).toHaveLength(5);
    for (const answer of refused) expectRateLimited(answer, 3600);
    const elsewhere = await api("POST", "/api/auth/register", {
      body: { username: uniqueName("elsewhere"), password: PASSWORD },
      headers: { "CF-Connecting-IP": newAddress() },
    });
    expect(elsewhere.status).toBe(201);
  });
});

describe("sign-in", () => {
  it("checks only 5 of 30 parallel wrong guesses from one address; the rest wait (429)", async () => {
    const { user } = await signUp();
    const address = newAddress();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) => login(user.username, `wrong guess ${index}`, address)),
    );
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(5);
    const waited = answers.filter((answer) => answer.status === 429);
    expect(waited).toHaveLength(25);
    for (const answer of waited) expectRateLimited(answer, 900);
  });

  it("never stops the right password from another address, however many guesses came from one", async () => {
    const { user } = await signUp();
    const guesser = newAddress();
    await Promise.all(Array.from({ length: 30 }, () => login(user.username, "wrong!!!", guesser)));
    expectRateLimited(await login(user.username, PASSWORD, guesser), 900);
    const owner = await login(user.username, PASSWORD, newAddress());
    expect(owner.status).toBe(200);
    expect(owner.body.user.id).toBe(user.id);
  });

  it("backs off exponentially after 5 wrong passwords: 1 s, then 2 s", async () => {
    const { user } = await signUp();
    const address = newAddress();
    for (let attempt = 0; attempt < 5; attempt++)
      expect((await login(user.username, "wrong!!!", address)).status).toBe(401);
    expect(expectRateLimited(await login(user.username, "wrong!!!", address), 1)).toBe(1);
    const sixth = await untilChecked(() => login(user.username, "wrong!!!", address), 5000);
    expect(sixth.status).toBe(401);
    expect(expectRateLimited(await login(user.username, "wrong!!!", address), 2)).toBe(2);
  });

  it("limits unknown usernames the same way, so the limit reveals nothing", async () => {
    const ghost = uniqueName("ghost");
    const address = newAddress();
    for (let attempt = 0; attempt < 5; attempt++)
      expect((await login(ghost, "wrong!!!", address)).status).toBe(401);
    expectRateLimited(await login(ghost, "wrong!!!", address), 1);
  });

  it("forgets earlier failures after the right password", async () => {
    const { user } = await signUp();
    const address = newAddress();
    for (let attempt = 0; attempt < 4; attempt++) await login(user.username, "wrong!!!", address);
    expect((await login(user.username, PASSWORD, address)).status).toBe(200);
    for (let attempt = 0; attempt < 5; attempt++)
      expect((await login(user.username, "wrong!!!", address)).status).toBe(401);
  });

  it("caps one address across usernames (RATE_SIGNIN_PER_ADDRESS), and a right password gives its attempt back", async () => {
    const call = withSettings({ RATE_SIGNIN_PER_ADDRESS: "3/15m" });
    const { user } = await signUp();
    const address = newAddress();
    // Right passwords cost nothing in the end: five sign-ins under a cap of three.
    for (let attempt = 0; attempt < 5; attempt++) {
      const ok = await call("POST", "/api/auth/login", {
        body: { username: user.username, password: PASSWORD },
        address,
      });
      expect(ok.status).toBe(200);
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const guess = await call("POST", "/api/auth/login", {
        body: { username: uniqueName("x"), password: "guess!!!" },
        address,
      });
      expect(guess.status).toBe(401);
    }
    const capped = await call("POST", "/api/auth/login", {
      body: { username: user.username, password: PASSWORD },
      address,
    });
    expectRateLimited(capped, 15 * 60);
    expect(errorOf(capped).message).toMatch(/from your address/);
    const elsewhere = await call("POST", "/api/auth/login", {
      body: { username: user.username, password: PASSWORD },
    });
    expect(elsewhere.status).toBe(200);
  });

  it("counts wrong passwords on a password change toward the same back-off", async () => {
    const { user, accessToken: token } = await signUp();
    const address = newAddress();
    const change = () =>
      api("POST", "/api/users/me/password", {
        token,
        body: { currentPassword: "not it at all", newPassword: "a brand new password" },
        headers: { "CF-Connecting-IP": address },
      });
    for (let attempt = 0; attempt < 5; attempt++) expect((await change()).status).toBe(403);
    expectRateLimited(await change(), 1);
    expectRateLimited(await login(user.username, PASSWORD, address), 1);
  });
});

describe("per-person limits", () => {
  const limited: [string, keyof Env, (token: string, peerId: string) => [string, string, unknown?]][] = [
    [
      "room creation",
      "RATE_CREATE_ROOM_PER_USER",
      () => ["POST", "/api/rooms", { name: uniqueName("r"), kind: "public" }],
    ],
    [
      "direct rooms",
      "RATE_DIRECT_ROOM_PER_USER",
      (_token, peerId) => ["POST", "/api/rooms/direct", { userId: peerId }],
    ],
    ["discover", "RATE_DISCOVER_PER_USER", () => ["GET", "/api/rooms/discover?q=x"]],
    ["user search", "RATE_USER_SEARCH_PER_USER", () => ["GET", "/api/users?q=x"]],
    ["message search", "RATE_SEARCH_PER_USER", () => ["GET", "/api/search?q=x"]],
    ["socket tickets", "RATE_SOCKET_TICKET_PER_USER", () => ["POST", "/api/auth/ticket"]],
  ];

  it.each(limited)("limit %s per person (%s), with 429 and Retry-After", async (_what, setting, request) => {
    const call = withSettings({ [setting]: "2/1m" });
    const [me, peer, someoneElse] = await Promise.all([signUp(), signUp(), signUp()]);
    const send = (token: string) => {
      const [method, path, body] = request(token, peer.user.id);
      return call(method, path, { token, body });
    };
    expect((await send(me.accessToken)).status).toBeLessThan(300);
    expect((await send(me.accessToken)).status).toBeLessThan(300);
    expectRateLimited(await send(me.accessToken), 60);
    expect((await send(someoneElse.accessToken)).status).toBeLessThan(300);
  });

  it("allow 60 people searches a minute by default, counted atomically", async () => {
    const { accessToken: token } = await signUp();
    // 80 at once: all of the burst of 60 passes, and beyond it only what refilled (one a second)
    // while a loaded machine answered them, so some are refused however slowly it runs.
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 80 }, () => api("GET", "/api/users?q=a", { token })),
    );
    const refilled = Math.ceil((Date.now() - started) / 1000);
    const passed = answers.filter((answer) => answer.status === 200).length;
    expect(passed).toBeGreaterThanOrEqual(60);
    expect(passed).toBeLessThanOrEqual(60 + refilled);
    expectRateLimited(answers.find((answer) => answer.status !== 200) as ApiResponse<unknown>, 60);
  });
});

describe("edits, reports and reactions", () => {
  it("limit message edits and deletes, profile and room edits together per person (RATE_EDIT_PER_USER)", async () => {
    const call = withSettings({ RATE_EDIT_PER_USER: "3/1m" });
    const { room, owner, member } = await privatePair();
    const mine = await send(owner.accessToken, room.id, "to edit");
    const token = owner.accessToken;
    const path = `/api/rooms/${room.id}/messages/${mine.seq}`;
    expect((await call("PATCH", path, { token, body: { body: "edited" } })).status).toBe(200);
    expect((await call("PATCH", "/api/users/me", { token, body: { bio: "busy" } })).status).toBe(200);
    expect((await call("PATCH", `/api/rooms/${room.id}`, { token, body: { topic: "t" } })).status).toBe(200);
    expectRateLimited(await call("DELETE", path, { token }), 60);
    expectRateLimited(await call("PATCH", "/api/users/me", { token, body: { bio: "again" } }), 60);
    // Someone else's allowance is their own.
    expect(
      (await call("PATCH", "/api/users/me", { token: member.accessToken, body: { bio: "hi" } })).status,
    ).toBe(200);
  });

  it("limit reports per person (RATE_REPORT_PER_USER)", async () => {
    const call = withSettings({ RATE_REPORT_PER_USER: "2/1h" });
    const { room, owner, member } = await privatePair();
    const message = await send(owner.accessToken, room.id, "report me");
    const report = () =>
      call("POST", `/api/rooms/${room.id}/messages/${message.seq}/report`, {
        token: member.accessToken,
        body: { reason: "spam" },
      });
    expect((await report()).status).toBe(204);
    expect((await report()).status).toBe(204);
    expectRateLimited(await report(), 3600);
  });

  it("limit reactions per person per room, shared by react frames and REST", async () => {
    const { room, owner, member } = await privatePair();
    const message = await send(owner.accessToken, room.id, "react to me");
    const socket = await roomSocket(room.id, member.accessToken);
    await socket.next("welcome");
    // 40 toggles at once: the burst of 20 passes, then refusals (the bucket refills 5 a second).
    for (let index = 0; index < 40; index++)
      socket.send({ type: "react", seq: message.seq, emoji: "👍", on: index % 2 === 0 });
    await socket.next("error", (frame) => frame.code === "rate_limited");
    // REST draws on the same bucket: of 20 at once, those beyond what refilled meanwhile are refused.
    const reactPath = `/api/rooms/${room.id}/messages/${message.seq}/reactions/${encodeURIComponent("🎉")}`;
    const overRest = await Promise.all(
      Array.from({ length: 20 }, () => api("PUT", reactPath, { token: member.accessToken })),
    );
    const refused = overRest.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expectRateLimited(refused[0] as ApiResponse<unknown>, 60);
    // The owner's own reactions are not limited by it.
    const owners = await api("PUT", reactPath, { token: owner.accessToken });
    expect(owners.status).toBe(204);
    await socket.close();
  });
});

describe("the client address", () => {
  const headers = (value?: string) => new Headers(value === undefined ? {} : { "CF-Connecting-IP": value });

  it("is CF-Connecting-IP; without it every caller is one unknown address", () => {
    expect(clientAddress(headers("203.0.113.7"))).toBe("203.0.113.7");
    expect(clientAddress(headers())).toBe("unknown");
    expect(clientAddress(headers("not an address"))).toBe("unknown");
  });

  it("counts an IPv6 client by its /64, which it usually holds whole", () => {
    const prefix = "2001:db8:0:1::/64";
    expect(clientAddress(headers("2001:db8:0:1:aaaa:bbbb:cccc:dddd"))).toBe(prefix);
    expect(clientAddress(headers("2001:DB8::1:0:0:0:1"))).toBe(prefix);
    expect(clientAddress(headers("2001:db8:0:2::1"))).not.toBe(prefix);
  });
});

describe("the settings", () => {
  it("read as <count>/<period>", () => {
    expect(parseRate("20/1h")).toEqual({ count: 20, periodMs: 3_600_000 });
    expect(parseRate("60/15m")).toEqual({ count: 60, periodMs: 900_000 });
    expect(parseRate("5/s")).toEqual({ count: 5, periodMs: 1000 });
    expect(parseRate("0/1h")).toBeNull();
    expect(parseRate("lots")).toBeNull();
  });
});
