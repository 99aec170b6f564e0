import { env } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { api, errorOf, newAddress, PASSWORD, type SignedIn, signUp, uniqueName } from "./helpers";

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

function refresh(refreshToken: string) {
  return api<SignedIn>("POST", "/api/auth/refresh", { body: { refreshToken } });
}

/** How the server stores a refresh token: the hex SHA-256 of it. */
async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
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

  it("counts characters, not UTF-16 units: a letter and 63 emoji are a valid display name", async () => {
    const response = await api("POST", "/api/auth/register", {
      body: { username: uniqueName(), password: PASSWORD, displayName: `A${"😀".repeat(63)}` },
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

  it("revoke the whole session when a token is presented again after its successor was used", async () => {
    const first = await signUp();
    const rotated = await refresh(first.refreshToken);
    expect(rotated.status).toBe(200);
    const onward = await refresh(rotated.body.refreshToken);
    expect(onward.status).toBe(200);
    // `first` is now an older token of the family: whoever presents it holds a copy of a used token.
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect(errorOf(replay).code).toBe("unauthorized");
    // The legitimate latest token is dead too: the family is revoked.
    expect((await refresh(onward.body.refreshToken)).status).toBe(401);
  });

  it("give a retry within the grace window the same successor, without revoking anything", async () => {
    const first = await signUp();
    const rotated = await refresh(first.refreshToken);
    // The client never saw that answer, and tries again with the same token.
    const retried = await refresh(first.refreshToken);
    expect(retried.status).toBe(200);
    expect(retried.body.refreshToken).toBe(rotated.body.refreshToken);
    expect((await api("GET", "/api/users/me", { token: retried.body.accessToken })).status).toBe(200);
    // The family goes on from that one successor.
    expect((await refresh(retried.body.refreshToken)).status).toBe(200);
  });

  it("give two refreshes racing with one token the same successor", async () => {
    const first = await signUp();
    const [a, b] = await Promise.all([refresh(first.refreshToken), refresh(first.refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refreshToken).toBe(b.body.refreshToken);
    expect((await refresh(a.body.refreshToken)).status).toBe(200);
  });

  it("revoke the whole session when a spent token comes back after the grace window", async () => {
    const first = await signUp();
    const rotated = await refresh(first.refreshToken);
    // As if the 30 s of REFRESH_RETRY_GRACE_S had passed since the first use.
    await env.DB.prepare("UPDATE refresh_tokens SET spent_at = spent_at - 31000 WHERE token_hash = ?")
      .bind(await sha256Hex(first.refreshToken))
      .run();
    expect((await refresh(first.refreshToken)).status).toBe(401);
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
  });

  it("write the successor in the same batch that spends the token: a spent token always has one", async () => {
    const first = await signUp();
    await refresh(first.refreshToken);
    const row = await env.DB.prepare(
      `SELECT spent.successor_hash AS successor, next.token_hash AS stored, next.spent_at AS nextSpent
       FROM refresh_tokens AS spent LEFT JOIN refresh_tokens AS next ON next.token_hash = spent.successor_hash
       WHERE spent.token_hash = ?`,
    )
      .bind(await sha256Hex(first.refreshToken))
      .first<{ successor: string; stored: string | null; nextSpent: number | null }>();
    expect(row?.successor).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.stored).toBe(row?.successor);
    expect(row?.nextSpent).toBeNull();
  });

  it("leave other sessions of the same user alone when one is revoked", async () => {
    const first = await signUp();
    const second = await api<SignedIn>("POST", "/api/auth/login", {
      body: { username: first.user.username, password: PASSWORD },
    });
    const rotated = await refresh(first.refreshToken);
    await refresh(rotated.body.refreshToken);
    expect((await refresh(first.refreshToken)).status).toBe(401);
    expect((await refresh(second.body.refreshToken)).status).toBe(200);
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

describe("token answers", () => {
  it("carry Cache-Control: no-store on register, login and refresh", async () => {
    const username = uniqueName();
    const registered = await api<SignedIn>("POST", "/api/auth/register", {
      body: { username, password: PASSWORD },
      headers: { "CF-Connecting-IP": newAddress() },
    });
    const loggedIn = await api("POST", "/api/auth/login", { body: { username, password: PASSWORD } });
    const refreshed = await refresh(registered.body.refreshToken);
    for (const answer of [registered, loggedIn, refreshed]) {
      expect(answer.status).toBeLessThan(300);
      expect(answer.headers.get("cache-control")).toBe("no-store");
    }
  });
});

describe("signing keys", () => {
  const newSecret = "a-new-secret-after-rotation-that-is-long-enough-0123456789";

  /** The app with other secrets than the test runtime's (JWT_SECRET is the old one there). */
  function withSecrets(secrets: { JWT_SECRET: string; JWT_SECRET_PREVIOUS?: string }) {
    const app = createApp();
    return (path: string, token: string) =>
      app.request(path, { headers: { authorization: `Bearer ${token}` } }, { ...env, ...secrets });
  }

  it("name their key in the token's kid", async () => {
    const { accessToken } = await signUp();
    const header = JSON.parse(
      atob((accessToken.split(".")[0] ?? "").replaceAll("-", "+").replaceAll("_", "/")),
    );
    expect(header).toMatchObject({ alg: "HS256", typ: "JWT", kid: expect.stringMatching(/^[\w-]{12}$/) });
  });

  it("rotate without signing anyone out: JWT_SECRET_PREVIOUS still verifies what the old secret signed", async () => {
    const { accessToken } = await signUp();
    const rotating = withSecrets({ JWT_SECRET: newSecret, JWT_SECRET_PREVIOUS: env.JWT_SECRET });
    expect((await rotating("/api/users/me", accessToken)).status).toBe(200);
    // Once the previous secret is gone, so are its tokens.
    const rotated = withSecrets({ JWT_SECRET: newSecret });
    expect((await rotated("/api/users/me", accessToken)).status).toBe(401);
  });

  it("sign new tokens with the new secret once rotated", async () => {
    const { user } = await signUp();
    const app = createApp();
    const rotating = { ...env, JWT_SECRET: newSecret, JWT_SECRET_PREVIOUS: env.JWT_SECRET };
    const login = await app.request(
      "/api/auth/login",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: user.username, password: PASSWORD }),
      },
      rotating,
    );
    const { accessToken } = (await login.json()) as SignedIn;
    // The old secret alone does not know the new key.
    expect((await api("GET", "/api/users/me", { token: accessToken })).status).toBe(401);
    expect((await withSecrets({ JWT_SECRET: newSecret })("/api/users/me", accessToken)).status).toBe(200);
  });

  it("refuse a token whose kid names no key, even if the signature were right", async () => {
    const { user, accessToken } = await signUp();
    const sid = JSON.parse(
      atob((accessToken.split(".")[1] ?? "").replaceAll("-", "+").replaceAll("_", "/")),
    ).sid;
    const token = await new SignJWT({ sid })
      .setProtectedHeader({ alg: "HS256", kid: "no-such-key0" })
      .setSubject(user.id)
      .setIssuer("hubbub")
      .setAudience("hubbub-api")
      .setExpirationTime("10m")
      .sign(secret);
    expect((await api("GET", "/api/users/me", { token })).status).toBe(401);
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
