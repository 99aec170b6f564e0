import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// What spans rooms lives in D1 (see DESIGN.md): people, their sign-in sessions, and the login limiter.
// Times are stored as integer milliseconds and leave the API as ISO-8601 strings.

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull(),
  // Usernames are unique regardless of case: "Alice" and "alice" are one person.
  usernameKey: text("username_key").notNull().unique(),
  displayName: text("display_name").notNull(),
  bio: text("bio").notNull().default(""),
  passwordHash: text("password_hash").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  // Written by the user's own channel only when they go online or offline, never per message.
  online: integer("online", { mode: "boolean" }).notNull().default(false),
  lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
});

// A session is one sign-in on one device: the family of refresh tokens that descend from it.
// Reusing a spent token of the family revokes the whole family (the token was stolen or replayed).
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

// Refresh tokens are kept only as SHA-256 hashes. A spent token stays (with spentAt) so that its reuse
// can be recognised; it goes when its session does.
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    spentAt: integer("spent_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("refresh_tokens_session_idx").on(table.sessionId)],
);

// One row per failed password check, so the limit holds across Worker isolates and restarts.
export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    usernameKey: text("username_key").notNull(),
    failedAt: integer("failed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("login_failures_user_time_idx").on(table.usernameKey, table.failedAt)],
);
