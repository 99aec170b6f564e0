import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { sessionCheckTtlMs } from "../../worker/auth/session-check";
import {
  api,
  closeAllSockets,
  errorOf,
  PASSWORD,
  privatePair,
  type SignedIn,
  signUp,
  upgrade,
} from "./helpers";

// Access tokens of an ended session stop working within 60 s everywhere (API.md "Sessions end
// everywhere"): at once in the isolate that ended it, within SESSION_CHECK_TTL_S in the others, at
// once on socket upgrades; and the check costs no D1 query on most requests.

afterEach(closeAllSockets);

/** The session id of an access token (its sid claim). */
function sessionOf(token: string): string {
  return JSON.parse(atob((token.split(".")[1] ?? "").replaceAll("-", "+").replaceAll("_", "/"))).sid;
}

/** A D1 binding that counts the statements prepared through it. */
function countingD1(db: D1Database) {
  const counter = { statements: 0 };
  const counted = {
    prepare: (query: string) => {
      counter.statements += 1;
      return db.prepare(query);
    },
    batch: (statements: D1PreparedStatement[]) => db.batch(statements),
    exec: (query: string) => db.exec(query),
    withSession: (constraint?: string) => db.withSession(constraint),
    dump: () => db.dump(),
  } as unknown as D1Database;
  return { counter, db: counted };
}

describe("an ended session's access tokens", () => {
  it.each([
    [
      "logout",
      async (who: SignedIn) => api("POST", "/api/auth/logout", { body: { refreshToken: who.refreshToken } }),
    ],
    [
      "a password change elsewhere",
      async (who: SignedIn) => {
        const other = await api<SignedIn>("POST", "/api/auth/login", {
          body: { username: who.user.username, password: PASSWORD },
        });
        return api("POST", "/api/users/me/password", {
          token: other.body.accessToken,
          body: { currentPassword: PASSWORD, newPassword: "a brand new password" },
        });
      },
    ],
    [
      "a reused refresh token",
      async (who: SignedIn) => {
        const next = await api<SignedIn>("POST", "/api/auth/refresh", {
          body: { refreshToken: who.refreshToken },
        });
        await api("POST", "/api/auth/refresh", { body: { refreshToken: next.body.refreshToken } });
        return api("POST", "/api/auth/refresh", { body: { refreshToken: who.refreshToken } });
      },
    ],
    [
      "account deletion",
      async (who: SignedIn) =>
        api("DELETE", "/api/users/me", { token: who.accessToken, body: { password: PASSWORD } }),
    ],
  ])("are refused at once after %s: on REST, on verify and on socket upgrades", async (_what, end) => {
    const { room, owner } = await privatePair();
    // Known to be live in this isolate first, so that the refusal below is not a cache miss.
    expect((await api("GET", "/api/users/me", { token: owner.accessToken })).status).toBe(200);
    await end(owner);
    const me = await api("GET", "/api/users/me", { token: owner.accessToken });
    expect(me.status).toBe(401);
    expect(errorOf(me).message).toMatch(/session has ended/);
    expect((await api("POST", "/api/auth/verify", { body: { token: owner.accessToken } })).status).toBe(401);
    expect((await upgrade(`/api/rooms/${room.id}/ws?token=${owner.accessToken}`)).status).toBe(401);
    expect((await upgrade(`/api/ws?token=${owner.accessToken}`)).status).toBe(401);
  });

  it("are refused by an isolate that did not hear of the end once its cached answer is older than the TTL", async () => {
    const ttlSeconds = 1;
    const app = createApp();
    const settings = { ...env, SESSION_CHECK_TTL_S: String(ttlSeconds) };
    const owner = await signUp();
    const me = () =>
      app.request("/api/users/me", { headers: { authorization: `Bearer ${owner.accessToken}` } }, settings);
    expect((await me()).status).toBe(200);
    // Ended by another isolate: D1 says so, this one was never told.
    await env.DB.prepare("UPDATE sessions SET revoked_at = ? WHERE id = ?")
      .bind(Date.now(), sessionOf(owner.accessToken))
      .run();
    const endedAt = Date.now();
    /** How long until `status` stops being a success, polled every `everyMs` for at most 10 s. */
    const refusedAfter = async (status: () => Promise<number>, everyMs: number) => {
      let last = await status();
      while (last < 300 && Date.now() - endedAt < 10_000) {
        await scheduler.wait(everyMs);
        last = await status();
      }
      expect(last).toBe(401);
      return Date.now() - endedAt;
    };
    const [rest, socket] = await Promise.all([
      refusedAfter(async () => (await me()).status, 100),
      // Every half second, so that the sockets it opens stay under the cap of 20 channel sockets.
      refusedAfter(async () => {
        const answer = await upgrade(`/api/ws?token=${owner.accessToken}`);
        answer.webSocket?.accept();
        answer.webSocket?.close(1000, "test done");
        return answer.status === 101 ? 200 : answer.status;
      }, 500),
    ]);
    // Within the TTL (REST) and 5 s (sockets), and the time a loaded machine takes to answer.
    expect(rest).toBeLessThan(ttlSeconds * 1000 + 5000);
    expect(socket).toBeLessThan(5000 + 3000);
  });

  it("are trusted 30 s by default, and never longer than 60 s whatever the setting says", () => {
    expect(sessionCheckTtlMs(env)).toBe(30_000);
    expect(sessionCheckTtlMs({ SESSION_CHECK_TTL_S: "3600" })).toBe(60_000);
    expect(sessionCheckTtlMs({})).toBe(30_000);
  });
});

describe("the session check", () => {
  it("adds no D1 query to requests after the first one of a session in an isolate", async () => {
    const { accessToken } = await signUp();
    const app = createApp();
    const { counter, db } = countingD1(env.DB);
    const settings = { ...env, DB: db };
    const statementsOf = async () => {
      const before = counter.statements;
      const answer = await app.request(
        "/api/users/me",
        { headers: { authorization: `Bearer ${accessToken}` } },
        settings,
      );
      expect(answer.status).toBe(200);
      return counter.statements - before;
    };
    // GET /api/users/me itself reads the user: one statement. The first call also asks for the session.
    expect(await statementsOf()).toBe(2);
    const later = [];
    for (let call = 0; call < 20; call++) later.push(await statementsOf());
    expect(later).toEqual(Array.from({ length: 20 }, () => 1));
  });

  it("asks D1 once for many requests that arrive together", async () => {
    const { accessToken } = await signUp();
    const app = createApp();
    const { counter, db } = countingD1(env.DB);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.request(
          "/api/users/me",
          { headers: { authorization: `Bearer ${accessToken}` } },
          { ...env, DB: db },
        ),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(counter.statements).toBe(11);
  });
});
