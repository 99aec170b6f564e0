import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { api, errorOf, PASSWORD } from "./helpers";

// "Continue as Alice": one-click sign-in as a seeded demo person, only where DEMO_USERS=true
// (npm run dev after npm run seed). Off (wrangler.toml's default, and production), it does not exist.

/** The same Worker with DEMO_USERS on, as `npm run dev` runs it after `npm run seed`. */
async function withDemo(method: string, path: string, body?: unknown) {
  const response = await createApp().request(
    path,
    {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    { ...env, DEMO_USERS: "true" },
  );
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function seedAlice(): Promise<void> {
  const exists = await api("POST", "/api/auth/login", { body: { username: "alice", password: PASSWORD } });
  if (exists.status === 200) return;
  const created = await api("POST", "/api/auth/register", {
    body: { username: "alice", password: PASSWORD, displayName: "Alice Liddell" },
  });
  expect(created.status).toBe(201);
}

describe("demo sign-in", () => {
  it("does not exist unless DEMO_USERS is true: 404 for the list and the sign-in", async () => {
    await seedAlice();
    const list = await api("GET", "/api/auth/demo");
    expect(list.status).toBe(404);
    expect(errorOf(list).code).toBe("not_found");
    const signIn = await api("POST", "/api/auth/demo", { body: { username: "alice" } });
    expect(signIn.status).toBe(404);
  });

  it("with DEMO_USERS=true lists the seeded demo people and signs one in without a password", async () => {
    await seedAlice();
    const list = await withDemo("GET", "/api/auth/demo");
    expect(list.status).toBe(200);
    expect(list.body.users).toContainEqual({ username: "alice", displayName: "Alice Liddell" });

    const signIn = await withDemo("POST", "/api/auth/demo", { username: "alice" });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("cache-control")).toBe("no-store");
    expect(signIn.body.user).toMatchObject({ username: "alice" });
    const me = await api("GET", "/api/users/me", { token: String(signIn.body.accessToken) });
    expect(me.body).toMatchObject({ username: "alice" });
  });

  it("signs in nobody else: another username is 400, an unseeded demo person 404", async () => {
    const stranger = await withDemo("POST", "/api/auth/demo", { username: "mallory" });
    expect(stranger.status).toBe(400);
    expect(errorOf({ ...stranger, body: stranger.body }).message).toContain("alice, bob or carol");
    const carol = await withDemo("POST", "/api/auth/demo", { username: "carol" });
    expect(carol.status).toBe(404);
  });
});
