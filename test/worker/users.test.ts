import { describe, expect, it } from "vitest";
import { api, errorOf, PASSWORD, type SignedIn, signUp, uniqueName } from "./helpers";

type PublicProfile = {
  id: string;
  username: string;
  displayName: string;
  online: boolean;
  lastSeenAt: string | null;
};

describe("your own profile", () => {
  it("edits display name and bio, keeping what is left out", async () => {
    const { accessToken: token, user } = await signUp();
    const renamed = await api("PATCH", "/api/users/me", { token, body: { displayName: "Alice L." } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: user.id, displayName: "Alice L.", bio: "" });
    const described = await api("PATCH", "/api/users/me", { token, body: { bio: "Down the rabbit hole." } });
    expect(described.body).toMatchObject({ displayName: "Alice L.", bio: "Down the rabbit hole." });
    const me = await api("GET", "/api/users/me", { token });
    expect(me.body).toEqual(described.body);
  });

  it("refuses a bio over 500 characters and a blank display name, changing nothing", async () => {
    const { accessToken: token, user } = await signUp();
    const long = await api("PATCH", "/api/users/me", {
      token,
      body: { displayName: "New", bio: "x".repeat(501) },
    });
    expect(long.status).toBe(400);
    expect(errorOf(long).message).toMatch(/^bio:/);
    const blank = await api("PATCH", "/api/users/me", { token, body: { displayName: " " } });
    expect(blank.status).toBe(400);
    expect(errorOf(blank).message).toMatch(/^displayName:/);
    const me = await api("GET", "/api/users/me", { token });
    expect(me.body).toMatchObject({ displayName: user.displayName, bio: "" });
  });

  it("can clear the bio", async () => {
    const { accessToken: token } = await signUp();
    await api("PATCH", "/api/users/me", { token, body: { bio: "something" } });
    const cleared = await api("PATCH", "/api/users/me", { token, body: { bio: "" } });
    expect(cleared.body).toMatchObject({ bio: "" });
  });
});

describe("changing the password", () => {
  it("needs the current password (403 otherwise)", async () => {
    const { accessToken: token } = await signUp();
    const response = await api("POST", "/api/users/me/password", {
      token,
      body: { currentPassword: "not it at all", newPassword: "a brand new password" },
    });
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe("forbidden");
  });

  it("refuses a new password that breaks the rules", async () => {
    const { accessToken: token } = await signUp();
    const response = await api("POST", "/api/users/me/password", {
      token,
      body: { currentPassword: PASSWORD, newPassword: "short" },
    });
    expect(response.status).toBe(400);
    expect(errorOf(response).message).toMatch(/^newPassword:/);
  });

  it("switches the password and revokes every other session but this one", async () => {
    const here = await signUp();
    const elsewhere = await api<SignedIn>("POST", "/api/auth/login", {
      body: { username: here.user.username, password: PASSWORD },
    });
    const changed = await api("POST", "/api/users/me/password", {
      token: here.accessToken,
      body: { currentPassword: PASSWORD, newPassword: "a brand new password" },
    });
    expect(changed.status).toBe(204);

    const otherDevice = await api("POST", "/api/auth/refresh", {
      body: { refreshToken: elsewhere.body.refreshToken },
    });
    expect(otherDevice.status).toBe(401);
    const thisDevice = await api("POST", "/api/auth/refresh", { body: { refreshToken: here.refreshToken } });
    expect(thisDevice.status).toBe(200);

    const oldPassword = await api("POST", "/api/auth/login", {
      body: { username: here.user.username, password: PASSWORD },
    });
    expect(oldPassword.status).toBe(401);
    const newPassword = await api("POST", "/api/auth/login", {
      body: { username: here.user.username, password: "a brand new password" },
    });
    expect(newPassword.status).toBe(200);
  });
});

describe("finding people", () => {
  it("matches a username prefix in any case, leaves the caller out, and lists in name order", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const me = await signUp(`Fp${tag}_me`);
    await signUp(`fp${tag}_zed`);
    await signUp(`FP${tag}_amy`);
    await signUp(`other${tag}`);
    const response = await api<{ users: PublicProfile[] }>("GET", `/api/users?q=fP${tag}`, {
      token: me.accessToken,
    });
    expect(response.status).toBe(200);
    expect(response.body.users.map((user) => user.username)).toEqual([`FP${tag}_amy`, `fp${tag}_zed`]);
    expect(response.body.users[0]).toEqual({
      id: expect.any(String),
      username: `FP${tag}_amy`,
      displayName: `FP${tag}_amy`,
      bio: "",
      online: false,
      lastSeenAt: null,
      avatarUrl: null,
    });
  });

  it("treats _ and . literally and honours limit", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const me = await signUp();
    await signUp(`q${tag}_1`);
    await signUp(`q${tag}_2`);
    await signUp(`q${tag}x3`);
    const underscore = await api<{ users: PublicProfile[] }>("GET", `/api/users?q=q${tag}_`, {
      token: me.accessToken,
    });
    expect(underscore.body.users).toHaveLength(2);
    const limited = await api<{ users: PublicProfile[] }>("GET", `/api/users?q=q${tag}&limit=1`, {
      token: me.accessToken,
    });
    expect(limited.body.users).toHaveLength(1);
  });

  it.each(["0", "51", "abc", "2.5"])("refuses limit=%s with 400", async (limit) => {
    const { accessToken: token } = await signUp();
    const response = await api("GET", `/api/users?limit=${limit}`, { token });
    expect(response.status).toBe(400);
    expect(errorOf(response).message).toMatch(/^limit:/);
  });

  it("shows one user's public profile, and 404 for nobody", async () => {
    const viewer = await signUp();
    const subject = await signUp(uniqueName("subject"));
    const found = await api<PublicProfile>("GET", `/api/users/${subject.user.id}`, {
      token: viewer.accessToken,
    });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: subject.user.id, username: subject.user.username, online: false });
    expect(found.body).not.toHaveProperty("passwordHash");
    const missing = await api("GET", `/api/users/${crypto.randomUUID()}`, { token: viewer.accessToken });
    expect(missing.status).toBe(404);
    expect(errorOf(missing).code).toBe("not_found");
  });

  it.each([
    ["GET", "/api/users/me"],
    ["PATCH", "/api/users/me"],
    ["POST", "/api/users/me/password"],
    ["GET", "/api/users?q=a"],
    ["GET", "/api/users/some-id"],
  ])("%s %s needs a signed-in caller (401)", async (method, path) => {
    const response = await api(method, path, { body: method === "GET" ? undefined : {} });
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("unauthorized");
  });
});
