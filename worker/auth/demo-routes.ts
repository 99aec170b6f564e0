import { createRoute, z } from "@hono/zod-openapi";
import { eq, inArray } from "drizzle-orm";
import { database } from "../db/client";
import { users } from "../db/schema";
import { notFound } from "../http/errors";
import { errorResponses, jsonBody, jsonResponse, publicSecurity } from "../http/openapi";
import { openRoutes } from "../http/routers";
import { usernameKey } from "../users/user";
import { tokenAnswer } from "./routes";
import { AuthResultSchema, CookieAuthResultSchema } from "./schemas";
import { startSession } from "./sessions";

// "Try it without signing up": with the setting DEMO_USERS=true, which `npm run dev` turns on once
// `npm run seed` has made the demo people, the sign-in screen offers "Continue as Alice / Bob /
// Carol" and one click signs that person in, no password asked. Off by default (wrangler.toml),
// and so in production, where these calls answer 404 as if they did not exist: a deployment must
// never hand out accounts to whoever asks.

/** The people `npm run seed` makes (scripts/seed.ts), in the order the sign-in screen offers them. */
export const DEMO_USERNAMES = ["alice", "bob", "carol"] as const;

const tags = ["Auth"];
const security = publicSecurity;

const DemoUserSchema = z
  .object({
    username: z.string().openapi({ example: "alice" }),
    displayName: z.string().openapi({ example: "Alice Liddell" }),
  })
  .openapi("DemoUser", { example: { username: "alice", displayName: "Alice Liddell" } });
const DemoUsersSchema = z
  .object({ users: DemoUserSchema.array() })
  .openapi("DemoUsers", { example: { users: [{ username: "alice", displayName: "Alice Liddell" }] } });
const DemoSignInBody = z
  .object({
    username: z.enum(DEMO_USERNAMES, "must be one of the demo people: alice, bob or carol"),
    useCookie: z.boolean("must be true or false").optional().openapi({
      description: "true: the refresh token comes as the HttpOnly cookie, as for POST /api/auth/login.",
      example: true,
    }),
  })
  .openapi("DemoSignIn", { example: { username: "alice", useCookie: true } });

const listDemoUsers = createRoute({
  method: "get",
  path: "/demo",
  operationId: "listDemoUsers",
  tags,
  security,
  summary: "The demo people one can continue as (only with DEMO_USERS=true)",
  description: `Local demos only: with the setting \`DEMO_USERS=true\` (\`npm run dev\` sets it after \`npm run seed\`),
the seeded people alice, bob and carol that exist. Without it (the default, and production): 404.`,
  responses: {
    200: jsonResponse(DemoUsersSchema, "Who the sign-in screen may offer."),
    ...errorResponses(404),
  },
});

const demoSignIn = createRoute({
  method: "post",
  path: "/demo",
  operationId: "signInAsDemoUser",
  tags,
  security,
  summary: "Sign in as a seeded demo person, without a password (only with DEMO_USERS=true)",
  description: `Answers like \`POST /api/auth/login\`: a new session for that person. 404 when \`DEMO_USERS\` is not
\`true\` (the default, and production) or when that person was not seeded.`,
  request: jsonBody(DemoSignInBody),
  responses: {
    200: jsonResponse(z.union([AuthResultSchema, CookieAuthResultSchema]), "Signed in as the demo person."),
    ...errorResponses(400, 404, 413, 415),
  },
});

function demoOn(env: Env): void {
  if (env.DEMO_USERS !== "true") throw notFound("Demo sign-in is off here.");
}

export const demoRoutes = openRoutes()
  .openapi(listDemoUsers, async (c) => {
    demoOn(c.env);
    const found = await database(c.env.DB)
      .select({ username: users.username, displayName: users.displayName, key: users.usernameKey })
      .from(users)
      .where(inArray(users.usernameKey, DEMO_USERNAMES.map(usernameKey)));
    const byKey = new Map(found.map((user) => [user.key, user]));
    const ordered = DEMO_USERNAMES.flatMap((name) => {
      const user = byKey.get(usernameKey(name));
      return user ? [{ username: user.username, displayName: user.displayName }] : [];
    });
    return c.json({ users: ordered }, 200);
  })
  .openapi(demoSignIn, async (c) => {
    demoOn(c.env);
    const db = database(c.env.DB);
    const { username, useCookie } = c.req.valid("json");
    const user = await db.query.users.findFirst({ where: eq(users.usernameKey, usernameKey(username)) });
    if (!user) throw notFound(`${username} has not been seeded: run npm run seed.`);
    // The same answer as a sign-in (no-store, the cookie when asked for), for a person who is not deleted.
    if (user.deletedAt) throw notFound(`${username} has been deleted: run npm run seed.`);
    return c.json(await tokenAnswer(c, user, await startSession(db, user.id), useCookie === true), 200);
  });
