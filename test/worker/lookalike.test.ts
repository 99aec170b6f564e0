import { applyD1Migrations, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { lookalikeKey, USERNAME_ALPHABET } from "../../worker/users/lookalike";
import { api, errorOf, newAddress, PASSWORD, type SignedIn, signUp } from "./helpers";

// Usernames are unique by a look-alike key (API.md "Names people see"): case and the confusables of
// UTS #39 fold together, and the key of the accounts made before it is computed by a migration.

const tag = () =>
  crypto
    .randomUUID()
    .replaceAll("-", "")
    .slice(0, 8)
    .replace(/[01lmo]/g, "x");

function register(username: string) {
  return api<SignedIn>("POST", "/api/auth/register", {
    body: { username, password: PASSWORD },
    headers: { "CF-Connecting-IP": newAddress() },
  });
}

describe("look-alike usernames", () => {
  const families: [string, (t: string) => string[]][] = [
    [
      "1/l/I and case, transitively",
      (t) => [`hbxI${t}`, `hbxl${t}`, `hbx1${t}`, `HBXL${t}`, `hbxi${t}`, `hbxL${t}`],
    ],
    ["0/O/o", (t) => [`b0b${t}`, `bOb${t}`, `bob${t}`, `BOB${t}`]],
    ["rn/m", (t) => [`rnary${t}`, `mary${t}`, `Mary${t}`, `RNARY${t}`]],
    ["several at once", (t) => [`m1ll0${t}`, `rnIl1O${t}`, `RNLLLO${t}`]],
  ];

  it.each(families)("fold %s into one name: the first is taken, the others are 409", async (_what, names) => {
    const [first, ...others] = names(tag());
    expect((await register(first as string)).status).toBe(201);
    for (const other of others) {
      const answer = await register(other);
      expect(answer.status).toBe(409);
      // The same name in another case is "taken"; any other look-alike is "too similar".
      const why =
        other.toLowerCase() === first?.toLowerCase() ? "is taken" : "is too similar to an existing username";
      expect(errorOf(answer)).toEqual({ code: "conflict", message: `The username "${other}" ${why}.` });
    }
  });

  it("say a name in another case is taken, not only similar", async () => {
    const name = `Taken${tag()}`;
    await register(name);
    const again = await register(name.toLowerCase());
    expect(errorOf(again).message).toBe(`The username "${name.toLowerCase()}" is taken.`);
  });

  it("let only one of two racing sign-ups for look-alike names win", async () => {
    const t = tag();
    const answers = await Promise.all([register(`race${t}l`), register(`race${t}1`), register(`RACE${t}I`)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
  });

  it("keep sign-in by the exact username, in any case, and search by prefix", async () => {
    const { user } = await signUp(`Exact${tag()}l`);
    const byCase = await api<SignedIn>("POST", "/api/auth/login", {
      body: { username: user.username.toUpperCase(), password: PASSWORD },
    });
    expect(byCase.status).toBe(200);
    // A look-alike of the name is not the name: it signs nobody in.
    const lookalike = await api("POST", "/api/auth/login", {
      body: { username: `${user.username.slice(0, -1)}1`, password: PASSWORD },
    });
    expect(lookalike.status).toBe(401);
    const other = await signUp();
    const seen = await api<{ users: { id: string }[] }>("GET", `/api/users?q=${user.username.slice(0, 9)}`, {
      token: other.accessToken,
    });
    expect(seen.body.users.map((item) => item.id)).toEqual([user.id]);
  });
});

/** The migration that added the look-alike key (found by name, whatever its number becomes). */
function safetyMigration() {
  return env.TEST_MIGRATIONS.find((item) => item.name.includes("_safety_auth"));
}

/** The key as the migration computes it in SQL (its ELSE branch), for any username. */
function migrationKeyExpression(): string {
  const migration = safetyMigration();
  const backfill = migration?.queries.find((query) => query.includes("SET `lookalike_key`")) ?? "";
  const expression = /ELSE\s+([\s\S]+?)\s+END/.exec(backfill)?.[1];
  if (!expression) throw new Error("the look-alike backfill is not in the safety_auth migration");
  return expression;
}

describe("the look-alike migration", () => {
  it("computes in SQL the very key lookalikeKey() computes, for every character a username may have", async () => {
    const expression = migrationKeyExpression();
    const samples = [...USERNAME_ALPHABET, USERNAME_ALPHABET, "hbxI", "Mil1on_.-", "rnmMRN", "0Oo1lIiLL"];
    for (const username of samples) {
      const row = await env.DB.prepare(`SELECT ${expression} AS key FROM (SELECT ? AS username)`)
        .bind(username)
        .first<{ key: string }>();
      expect({ username, key: row?.key }).toEqual({ username, key: lookalikeKey(username) });
    }
  });

  it("gives every account made before it its key, and keeps older look-alike accounts working", async () => {
    const db = env.MIGRATION_TEST_DB;
    const before = env.TEST_MIGRATIONS.filter((item) => item.name < (safetyMigration()?.name ?? ""));
    await applyD1Migrations(db, before);
    const old = [
      ["u-alice", "Alice", 1],
      ["u-bob1", "bob1", 2],
      ["u-bobl", "BOBL", 3],
      ["u-mary", "mary", 4],
      ["u-rnary", "rnary", 5],
    ] as const;
    for (const [id, username, createdAt] of old) {
      await db
        .prepare(
          "INSERT INTO users (id, username, username_key, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, 'x', ?)",
        )
        .bind(id, username, username.toLowerCase(), username, createdAt)
        .run();
    }
    await applyD1Migrations(db, env.TEST_MIGRATIONS);
    const { results } = await db
      .prepare("SELECT id, lookalike_key AS key FROM users ORDER BY created_at")
      .all<{ id: string; key: string }>();
    expect(results).toEqual([
      { id: "u-alice", key: lookalikeKey("Alice") },
      { id: "u-bob1", key: lookalikeKey("bob1") },
      // The younger of two look-alikes that both existed keeps its account, with a key no sign-up makes.
      { id: "u-bobl", key: `${lookalikeKey("BOBL")}#u-bobl` },
      { id: "u-mary", key: lookalikeKey("mary") },
      { id: "u-rnary", key: `${lookalikeKey("rnary")}#u-rnary` },
    ]);
    // And the unique index holds from now on: a new look-alike of an old account is refused.
    const insert = db
      .prepare(
        "INSERT INTO users (id, username, username_key, lookalike_key, display_name, password_hash, created_at) VALUES ('u-new', 'alIce', 'alice2', ?, 'x', 'x', 9)",
      )
      .bind(lookalikeKey("alIce"))
      .run();
    await expect(insert).rejects.toThrow(/UNIQUE constraint failed: users.lookalike_key/);
  });
});
