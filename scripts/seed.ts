// `npm run seed`: demo people and rooms with some history in the local database, so you can try
// Hubbub with friends at once. Uses the running `npm run dev` if there is one (PORT, default 8787);
// otherwise starts wrangler on the same local state, seeds, and stops. Running it again is harmless.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { callApi } from "./api-call.ts";
import {
  applyLocalMigrations,
  demoMarker,
  ensureDevVars,
  projectRoot,
  startLocalServer,
} from "./local-server.ts";

export const DEMO_PASSWORD = "hubbub-demo-1";
// The same three as worker/auth/demo-routes.ts DEMO_USERNAMES ("Continue as …" on sign-in).
const PEOPLE = [
  { username: "alice", displayName: "Alice Liddell" },
  { username: "bob", displayName: "Bob Marley" },
  { username: "carol", displayName: "Carol Danvers" },
];

type Signed = { accessToken: string; user: { id: string; username: string } };

async function request<T>(base: string, method: string, path: string, token?: string, body?: unknown) {
  return callApi<T>(base, method, `/api${path}`, { token, body });
}

async function person(base: string, username: string, displayName: string): Promise<Signed> {
  const created = await request<Signed>(base, "POST", "/auth/register", undefined, {
    username,
    password: DEMO_PASSWORD,
    displayName,
  });
  if (created.status === 201) return created.body;
  const login = await request<Signed>(base, "POST", "/auth/login", undefined, {
    username,
    password: DEMO_PASSWORD,
  });
  if (login.status !== 200) {
    throw new Error(
      `${username} already exists with another password; seed a fresh database (delete .wrangler/state).`,
    );
  }
  return login.body;
}

async function say(base: string, who: Signed, roomId: string, body: string, clientId: string) {
  const sent = await request(base, "POST", `/rooms/${roomId}/messages`, who.accessToken, { body, clientId });
  if (sent.status !== 201 && sent.status !== 200)
    throw new Error(`send failed: ${JSON.stringify(sent.body)}`);
}

async function seed(base: string): Promise<void> {
  const [alice, bob, carol] = (await Promise.all(
    PEOPLE.map((p) => person(base, p.username, p.displayName)),
  )) as [Signed, Signed, Signed];
  const existing = await request<{ rooms: { name: string; kind: string }[] }>(
    base,
    "GET",
    "/rooms",
    alice.accessToken,
  );
  if (existing.body.rooms.some((room) => room.name === "general" && room.kind === "public")) {
    console.log("Demo data is already there.");
    return;
  }
  const general = await request<{ id: string }>(base, "POST", "/rooms", alice.accessToken, {
    name: "general",
    kind: "public",
    topic: "Say hello 👋",
  });
  for (const who of [bob, carol])
    await request(base, "POST", `/rooms/${general.body.id}/join`, who.accessToken);
  const lines: [Signed, string][] = [
    [alice, "Welcome to Hubbub, everyone!"],
    [bob, "Hey! This is fast."],
    [carol, "Hi all 👋"],
    [alice, "Every room is its own Durable Object, so ordering is just a counter."],
    [bob, "And reconnecting with since= means nothing gets lost?"],
    [alice, "Exactly. Try closing your laptop and opening it again."],
    [carol, "Docs are at http://127.0.0.1:8787/api/docs"],
  ];
  for (const [index, [who, body]] of lines.entries())
    await say(base, who, general.body.id, body, `seed-general-${index}`);

  const project = await request<{ id: string }>(base, "POST", "/rooms", alice.accessToken, {
    name: "project-x",
    kind: "private",
    topic: "Only the two of us",
  });
  await request(base, "POST", `/rooms/${project.body.id}/members`, alice.accessToken, {
    userId: bob.user.id,
    role: "admin",
  });
  await say(base, alice, project.body.id, "Launch plan draft is ready.", "seed-project-0");
  await say(base, bob, project.body.id, "Reading it now.", "seed-project-1");

  const direct = await request<{ id: string }>(base, "POST", "/rooms/direct", carol.accessToken, {
    userId: bob.user.id,
  });
  await say(base, carol, direct.body.id, "Lunch tomorrow?", "seed-direct-0");
  console.log(
    `Seeded: ${PEOPLE.map((p) => p.username).join(", ")} (password "${DEMO_PASSWORD}"), rooms general, project-x and a direct chat.`,
  );
}

const port = Number(process.env.PORT ?? 8787);
const base = `http://127.0.0.1:${port}`;
const persistTo = join(projectRoot, ".wrangler", "state");
/** From now on `npm run dev` offers one-click sign-in as these people (restart a running one). */
function markDemoReady(): void {
  mkdirSync(persistTo, { recursive: true });
  writeFileSync(demoMarker(persistTo), "Made by npm run seed: npm run dev sets DEMO_USERS=true.\n");
}
const running = await fetch(`${base}/api/openapi.json`)
  .then((response) => response.ok)
  .catch(() => false);
if (running) {
  await seed(base);
  markDemoReady();
  console.log("Restart npm run dev to offer Continue as Alice, Bob or Carol on the sign-in screen.");
} else {
  ensureDevVars();
  await applyLocalMigrations(persistTo, true);
  const server = await startLocalServer({ persistTo });
  try {
    await seed(server.url);
    markDemoReady();
  } finally {
    await server.stop();
  }
}
