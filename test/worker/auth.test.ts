import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { api, errorOf, PASSWORD, type SignedIn, signUp, uniqueName } from "./helpers";

const secret = new TextEncoder().encode(env.JWT_SECRET);

/** A token signed with the real key but with claims of the test's choosing. */
function forge(claims: { sub?: string; sid?: string; iss?: string; aud?: string; exp?: number }) {
  const jwt = new SignJWT({ sid: claims.sid ?? "session" }).setProtectedHeader({ alg: "HS256" });
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  return jwt
    .setIssuer(claims.iss ?? "hubbub")
    .setAudience(claims.aud ?? "hubbub-api")
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
    .sign(secret);
}

function base64url(value: string): string {
  return btoa(value).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

describe("registering", () => {
  it("creates the user, signs them in and returns a token pair", async () => {
    const username = uniqueName("Reg");
    const response = await api<SignedIn>("POST", "/api/auth/register", {
      body: { username, password: PASSWORD, displayName: "Régine 🎉" },
    });
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({ username, displayName: "Régine 🎉", bio: "" });
    expect(new Date(response.body.user.createdAt).toISOString()).toBe(response.body.user.createdAt);
    expect(response.body.expiresIn).toBe(900);
    expect(response.body.refreshToken).toMatch(/^[\w-]{43}$/);
    const me = await api("GET", "/api/users/me", { token: response.body.accessToken });
    expect(me.body).toEqual(response.body.user);
  });

  it("uses the username as the display name when none is given", async () => {
    const { user } = await signUp(`plain_name_${crypto.randomUUID().slice(0, 6)}`);
    expect(user.displayName).toBe(user.username);
  });

  it("refuses a username that is taken, whatever its case (409)", async () => {
    const { user } = await signUp();
    const again = await api("POST", "/api/auth/register", {
      body: { username: user.username.toUpperCase(), password: PASSWORD },
    });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe("conflict");
  });

  it.each([
    [{ username: "ab", password: PASSWORD }, "username"],
    [{ username: "a".repeat(33), password: PASSWORD }, "username"],
    [{ username: "bad name!", password: PASSWORD }, "username"],
    [{ username: uniqueName(), password: "short" }, "password"],
    [{ username: uniqueName(), password: "x".repeat(129) }, "password"],
    [{ username: uniqueName(), password: PASSWORD, displayName: "   " }, "displayName"],
    [{ username: uniqueName(), password: PASSWORD, displayName: "x".repeat(65) }, "displayName"],
    [{ password: PASSWORD }, "username"],
  ])("refuses %j with 400 naming %s", async (body, field) => {
    const response = await api("POST", "/api/auth/register", { body });
    expect(response.status).toBe(400);
    const error = errorOf(response);
    expect(error.code).toBe("invalid_request");
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it("counts characters, not UTF-16 units: 64 emoji are a valid display name", async () => {
    const response = await api("POST", "/api/auth/register", {
      body: { username: uniqueName(), password: PASSWORD, displayName: "😀".repeat(64) },
    });
    expect(response.status).toBe(201);
  });
});

describe("malformed requests", () => {
  it("answers a body that is not JSON with 400 saying so", async () => {
    const response = await api("POST", "/api/auth/register", { body: '{"username": ' });
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({
      code: "invalid_request",
      message: "The request body is not valid JSON.",
    });
  });

  it("answers a JSON body that is not an object with 400", async () => {
    const response = await api("POST", "/api/auth/login", { body: "[1, 2]" });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("invalid_request");
  });

  it("answers a body of another media type with 415", async () => {
    const response = await api("POST", "/api/auth/login", {
      body: "username=alice&password=secret",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(415);
    expect(errorOf(response).code).toBe("unsupported_media_type");
  });

  it("answers a body over 64 KiB with 413 and reads no further", async () => {
    const response = await api("POST", "/api/auth/register", {
      body: { username: "a".repeat(70 * 1024), password: PASSWORD },
    });
    expect(response.status).toBe(413);
    expect(errorOf(response).code).toBe("payload_too_large");
  });
});

describe("signing in", () => {
  it("accepts the username in any case", async () => {
    const { user } = await signUp();
    const response = await api<SignedIn>("POST", "/api/auth/login", {
      body: { username: user.username.toUpperCase(), password: PASSWORD },
    });
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(user.id);
  });

  it("gives a wrong password and an unknown user the very same answer", async () => {
    const { user } = await signUp();
    const wrongPassword = await api("POST", "/api/auth/login", {
      body: { username: user.username, password: "not the password" },
    });
    const unknownUser = await api("POST", "/api/auth/login", {
      body: { username: uniqueName("ghost"), password: "not the password" },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.body).toEqual(wrongPassword.body);
  });

  it("refuses a username after 10 failures in 15 minutes with 429 and Retry-After, even with the right password", async () => {
    const { user } = await signUp();
    for (let attempt = 0; attempt < 10; attempt++) {
      const failure = await api("POST", "/api/auth/login", {
        body: { username: user.username, password: "wrong!!!" },
      });
      expect(failure.status).toBe(401);
    }
    const limited = await api("POST", "/api/auth/login", {
      body: { username: user.username, password: PASSWORD },
    });
    expect(limited.status).toBe(429);
    expect(errorOf(limited).code).toBe("rate_limited");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    const someoneElse = await signUp();
    const unaffected = await api("POST", "/api/auth/login", {
      body: { username: someoneElse.user.username, password: PASSWORD },
    });
    expect(unaffected.status).toBe(200);
  });

  it("limits unknown usernames the same way, so the limit reveals nothing", async () => {
    const ghost = uniqueName("ghost");
    for (let attempt = 0; attempt < 10; attempt++) {
      await api("POST", "/api/auth/login", { body: { username: ghost, password: "wrong!!!" } });
    }
    const limited = await api("POST", "/api/auth/login", { body: { username: ghost, password: "wrong!!!" } });
    expect(limited.status).toBe(429);
  });

  it("forgets earlier failures after a successful sign-in", async () => {
    const { user } = await signUp();
    const fail = () =>
      api("POST", "/api/auth/login", { body: { username: user.username, password: "wrong!!!" } });
    for (let attempt = 0; attempt < 9; attempt++) await fail();
    const ok = await api("POST", "/api/auth/login", {
      body: { username: user.username, password: PASSWORD },
    });
    expect(ok.status).toBe(200);
    for (let attempt = 0; attempt < 9; attempt++) expect((await fail()).status).toBe(401);
  });
});

describe("refresh tokens", () => {
  it("rotate: each use returns a new pair and spends the old token", async () => {
    const first = await signUp();
    const rotated = await api<SignedIn>("POST", "/api/auth/refresh", {
      body: { refreshToken: first.refreshToken },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(first.refreshToken);
    expect(rotated.body.user.id).toBe(first.user.id);
    const me = await api("GET", "/api/users/me", { token: rotated.body.accessToken });
    expect(me.status).toBe(200);
    const next = await api<SignedIn>("POST", "/api/auth/refresh", {
      body: { refreshToken: rotated.body.refreshToken },
    });
    expect(next.status).toBe(200);
  });

  it("revoke the whole session when a spent token is presented again", async () => {
    const first = await signUp();
    const rotated = await api<SignedIn>("POST", "/api/auth/refresh", {
      body: { refreshToken: first.refreshToken },
    });
    const replay = await api("POST", "/api/auth/refresh", { body: { refreshToken: first.refreshToken } });
    expect(replay.status).toBe(401);
    expect(errorOf(replay).code).toBe("unauthorized");
    // The legitimate successor is dead too: the family is revoked.
    const successor = await api("POST", "/api/auth/refresh", {
      body: { refreshToken: rotated.body.refreshToken },
    });
    expect(successor.status).toBe(401);
  });

  it("leave other sessions of the same user alone when one is revoked", async () => {
    const first = await signUp();
    const second = await api<SignedIn>("POST", "/api/auth/login", {
      body: { username: first.user.username, password: PASSWORD },
    });
    await api("POST", "/api/auth/refresh", { body: { refreshToken: first.refreshToken } });
    await api("POST", "/api/auth/refresh", { body: { refreshToken: first.refreshToken } });
    const other = await api("POST", "/api/auth/refresh", {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(other.status).toBe(200);
  });

  it("refuse an unknown token with 401 and a missing one with 400", async () => {
    const unknown = await api("POST", "/api/auth/refresh", { body: { refreshToken: "not-a-real-token" } });
    expect(unknown.status).toBe(401);
    const missing = await api("POST", "/api/auth/refresh", { body: {} });
    expect(missing.status).toBe(400);
    expect(errorOf(missing).message).toMatch(/^refreshToken:/);
  });

  it("stop working after logout, and logout answers 204 even for an unknown token", async () => {
    const session = await signUp();
    const out = await api("POST", "/api/auth/logout", { body: { refreshToken: session.refreshToken } });
    expect(out.status).toBe(204);
    const after = await api("POST", "/api/auth/refresh", { body: { refreshToken: session.refreshToken } });
    expect(after.status).toBe(401);
    const unknown = await api("POST", "/api/auth/logout", { body: { refreshToken: "never-issued" } });
    expect(unknown.status).toBe(204);
  });
});

describe("access tokens", () => {
  it("verify: a valid token names its user and expiry", async () => {
    const { user, accessToken } = await signUp();
    const response = await api("POST", "/api/auth/verify", { body: { token: accessToken } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ valid: true, userId: user.id });
    const expiresIn = new Date(String(response.body.expiresAt)).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60 * 1000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60 * 1000);
  });

  const attacks: [string, () => Promise<string>][] = [
    [
      'alg "none"',
      async () => {
        const { user } = await signUp();
        const header = base64url(JSON.stringify({ alg: "none", typ: "JWT" }));
        const now = Math.floor(Date.now() / 1000);
        const payload = base64url(
          JSON.stringify({
            sub: user.id,
            sid: "s",
            iss: "hubbub",
            aud: "hubbub-api",
            iat: now,
            exp: now + 600,
          }),
        );
        return `${header}.${payload}.`;
      },
    ],
    [
      "a tampered signature",
      async () => {
        const { accessToken } = await signUp();
        const [header, payload, signature = ""] = accessToken.split(".");
        const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
        return `${header}.${payload}.${flipped}`;
      },
    ],
    [
      "a tampered payload",
      async () => {
        const [alice, bob] = [await signUp(), await signUp()];
        const [header, , signature] = alice.accessToken.split(".");
        const now = Math.floor(Date.now() / 1000);
        const payload = base64url(
          JSON.stringify({
            sub: bob.user.id,
            sid: "s",
            iss: "hubbub",
            aud: "hubbub-api",
            iat: now,
            exp: now + 600,
          }),
        );
        return `${header}.${payload}.${signature}`;
      },
    ],
    [
      "an expired token",
      async () => forge({ sub: (await signUp()).user.id, exp: Math.floor(Date.now() / 1000) - 60 }),
    ],
    ["a wrong audience", async () => forge({ sub: (await signUp()).user.id, aud: "someone-else" })],
    ["a wrong issuer", async () => forge({ sub: (await signUp()).user.id, iss: "evil" })],
    ["no subject", async () => forge({})],
    [
      "another key",
      async () =>
        new SignJWT({ sid: "s" })
          .setProtectedHeader({ alg: "HS256" })
          .setSubject((await signUp()).user.id)
          .setIssuer("hubbub")
          .setAudience("hubbub-api")
          .setExpirationTime("10m")
          .sign(new TextEncoder().encode("another-secret-that-is-also-long-enough-0123456789")),
    ],
    ["garbage", async () => "not.a.jwt"],
  ];

  it.each(attacks)("refuses %s with 401, on the API and on verify", async (_name, makeToken) => {
    const token = await makeToken();
    const me = await api("GET", "/api/users/me", { token });
    expect(me.status).toBe(401);
    expect(errorOf(me).code).toBe("unauthorized");
    const verified = await api("POST", "/api/auth/verify", { body: { token } });
    expect(verified.status).toBe(401);
  });

  it("says an expired token has expired", async () => {
    const token = await forge({ sub: (await signUp()).user.id, exp: Math.floor(Date.now() / 1000) - 60 });
    const me = await api("GET", "/api/users/me", { token });
    expect(errorOf(me).message).toMatch(/expired/);
  });

  it("are required: no header, or a header of another scheme, is 401", async () => {
    expect((await api("GET", "/api/users/me")).status).toBe(401);
    const basic = await api("GET", "/api/users/me", { headers: { authorization: "Basic YWxpY2U6c2VjcmV0" } });
    expect(basic.status).toBe(401);
  });
});
