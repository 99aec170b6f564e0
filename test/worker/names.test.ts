import { describe, expect, it } from "vitest";
import { api, createRoom, errorOf, newAddress, PASSWORD, signUp, uniqueName } from "./helpers";

// Names people see (API.md "Names people see"): display names, room names and topics refuse
// control, format (zero-width) and bidirectional-override characters, and must contain a letter or
// a digit (a topic may be empty); passwords that are the username or among the most common are refused.

const refused: [string, string, RegExp][] = [
  ["a right-to-left override", "Bob\u202Eevil", /bidirectional/],
  ["a left-to-right embedding", "\u202ABob", /bidirectional/],
  ["a first-strong isolate", "\u2068Bob\u2069", /bidirectional/],
  ["a zero-width space", "Bo\u200Bb", /format characters/],
  ["a zero-width joiner", "Bo\u200Db", /format characters/],
  ["a soft hyphen", "Bo\u00ADb", /format characters/],
  ["a tab", "Bo\tb", /control characters/],
  ["a line break", "Bob\nAdmin", /control characters/],
  ["a NUL", "Bob\u0000", /control characters/],
  ["only punctuation", "!!! ...", /letter or a digit/],
  ["only emoji", "😀😀", /letter or a digit/],
];

describe("display names", () => {
  it.each(refused)(
    "refuse %s with 400 saying why, at sign-up and on a profile edit",
    async (_what, name, why) => {
      const signUpAnswer = await api("POST", "/api/auth/register", {
        body: { username: uniqueName(), password: PASSWORD, displayName: name },
        headers: { "CF-Connecting-IP": newAddress() },
      });
      expect(signUpAnswer.status).toBe(400);
      expect(errorOf(signUpAnswer).message).toMatch(/^displayName: /);
      expect(errorOf(signUpAnswer).message).toMatch(why);
      const { accessToken: token } = await signUp();
      const edit = await api("PATCH", "/api/users/me", { token, body: { displayName: name } });
      expect(edit.status).toBe(400);
      expect(errorOf(edit).message).toMatch(why);
    },
  );

  it.each(["Zoë 😀", "李小龍", "Ана", "R2-D2", "42", "עברית"])("accept %s", async (name) => {
    const { accessToken: token } = await signUp();
    const edit = await api("PATCH", "/api/users/me", { token, body: { displayName: name } });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ displayName: name });
  });
});

describe("room names and topics", () => {
  it.each(refused)("refuse %s in a room name and a topic", async (_what, text, why) => {
    const { accessToken: token } = await signUp();
    const named = await api("POST", "/api/rooms", { token, body: { name: text, kind: "public" } });
    expect(named.status).toBe(400);
    expect(errorOf(named).message).toMatch(/^name: /);
    expect(errorOf(named).message).toMatch(why);
    const room = await createRoom(token);
    const topic = await api("PATCH", `/api/rooms/${room.id}`, { token, body: { topic: text } });
    expect(topic.status).toBe(400);
    expect(errorOf(topic).message).toMatch(/^topic: /);
    const renamed = await api("PATCH", `/api/rooms/${room.id}`, { token, body: { name: text } });
    expect(renamed.status).toBe(400);
  });

  it("accept an empty topic, and names and topics in any script", async () => {
    const { accessToken: token } = await signUp();
    const room = await createRoom(token, { name: "café ☕", topic: "Всё о кофе" });
    expect(room).toMatchObject({ name: "café ☕", topic: "Всё о кофе" });
    const cleared = await api("PATCH", `/api/rooms/${room.id}`, { token, body: { topic: "" } });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ topic: "" });
  });
});

describe("passwords", () => {
  const register = (username: string, password: string) =>
    api("POST", "/api/auth/register", {
      body: { username, password },
      headers: { "CF-Connecting-IP": newAddress() },
    });

  it.each(["password", "12345678", "Password", "QWERTYUIOP", "iloveyou"])(
    "refuse %s: one of the 10,000 most common",
    async (password) => {
      const answer = await register(uniqueName(), password);
      expect(answer.status).toBe(400);
      expect(errorOf(answer).message).toBe(
        "password: is one of the 10,000 most common passwords; choose another",
      );
    },
  );

  it("refuse the username as the password, in any case", async () => {
    const username = uniqueName("Same");
    const answer = await register(username, username.toUpperCase());
    expect(answer.status).toBe(400);
    expect(errorOf(answer).message).toBe("password: must not be your username");
  });

  it("refuse under 8 and over 128 characters", async () => {
    for (const password of ["seven77", "x".repeat(129)]) {
      const answer = await register(uniqueName(), password);
      expect(answer.status).toBe(400);
      expect(errorOf(answer).message).toMatch(/^password: must be 8 to 128 characters/);
    }
  });

  it("apply the same rules to a new password", async () => {
    const { user, accessToken: token } = await signUp();
    for (const [newPassword, why] of [
      ["12345678", /most common/],
      [user.username, /must not be your username/],
    ] as const) {
      const answer = await api("POST", "/api/users/me/password", {
        token,
        body: { currentPassword: PASSWORD, newPassword },
      });
      expect(answer.status).toBe(400);
      expect(errorOf(answer).message).toMatch(/^newPassword: /);
      expect(errorOf(answer).message).toMatch(why);
    }
  });

  it("accept an uncommon passphrase", async () => {
    expect((await register(uniqueName(), "purple elephants juggle")).status).toBe(201);
  });
});
