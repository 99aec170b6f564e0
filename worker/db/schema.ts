import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// What spans rooms lives in D1 (see DESIGN.md): people, their sign-in sessions, their socket tickets.
// Times are stored as integer milliseconds and leave the API as ISO-8601 strings.

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull(),
  // Usernames are unique regardless of case: "Alice" and "alice" are one person.
  usernameKey: text("username_key").notNull().unique(),
  // Usernames that look alike are one name too (users/lookalike.ts). Null only for an account deleted
  // more than 30 days ago, whose name is free again.
  lookalikeKey: text("lookalike_key").unique(),
  displayName: text("display_name").notNull(),
  bio: text("bio").notNull().default(""),
  passwordHash: text("password_hash").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  // Written by the user's own channel only when they go online or offline, never per message.
  online: integer("online", { mode: "boolean" }).notNull().default(false),
  lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
  // The R2 key of their avatar (a fresh random one per upload, so its URL can be cached for ever), or null.
  avatarKey: text("avatar_key"),
  // A deleted account keeps its row (its messages stay attributed to it) as "Deleted user".
  deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
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

// Refresh tokens are kept only as SHA-256 hashes. A spent token stays (with spentAt, and the hash of
// the token that replaced it) so that its reuse can be recognised; it goes when its session does.
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    spentAt: integer("spent_at", { mode: "timestamp_ms" }),
    successorHash: text("successor_hash"),
  },
  (table) => [index("refresh_tokens_session_idx").on(table.sessionId)],
);

// A socket ticket (POST /api/auth/ticket) lets a page open a WebSocket without putting its access
// token in a URL: single-use, short-lived, kept as a hash, bound to the person and their session.
export const socketTickets = sqliteTable(
  "socket_tickets",
  {
    ticketHash: text("ticket_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    // The expiry of the access token that asked for the ticket: a socket opened with it closes then.
    tokenExpiresAt: integer("token_expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("socket_tickets_expiry_idx").on(table.expiresAt)],
);

// A room's row holds what the room list needs without asking the room's Durable Object: its summary
// (lastSeq, last-message preview, activity time) is written by the room in batches, at most about
// once a second, never once per message per member.
export const rooms = sqliteTable(
  "rooms",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["public", "private", "direct"] }).notNull(),
    name: text("name").notNull(),
    topic: text("topic").notNull().default(""),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    // A direct room's two people, in id order. The unique key makes "one room per pair" hold even
    // when both open it at the same moment.
    directKey: text("direct_key").unique(),
    userA: text("user_a").references(() => users.id, { onDelete: "cascade" }),
    userB: text("user_b").references(() => users.id, { onDelete: "cascade" }),
    lastSeq: integer("last_seq").notNull().default(0),
    // Messages in the main timeline (thread replies left out), for unread counts.
    mainCount: integer("main_count").notNull().default(0),
    lastMessageSeq: integer("last_message_seq"),
    lastMessageUserId: text("last_message_user_id"),
    lastMessagePreview: text("last_message_preview"),
    lastMessageAt: integer("last_message_at", { mode: "timestamp_ms" }),
    lastActivityAt: integer("last_activity_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("rooms_kind_name_idx").on(table.kind, table.name)],
);

export const memberships = sqliteTable(
  "memberships",
  {
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["owner", "admin", "member"] }).notNull(),
    // Mirrored from the room's receipts in batches; only ever moves forward.
    lastReadSeq: integer("last_read_seq").notNull().default(0),
    // How many main-timeline messages that read marker covers (thread replies are not in unread
    // counts): unreadCount = rooms.main_count - this. Mirrored with lastReadSeq.
    readMainCount: integer("read_main_count").notNull().default(0),
    // Unread messages mentioning this member, kept by the room and mirrored in its batches.
    mentionCount: integer("mention_count").notNull().default(0),
    // What this member is notified of in this room: all, mentions, none.
    notifyLevel: text("notify_level", { enum: ["all", "mentions", "none"] })
      .notNull()
      .default("all"),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.roomId, table.userId] }),
    index("memberships_user_idx").on(table.userId),
  ],
);

// Who is banned from which room, mirrored from the room (which keeps the reason and the audit log)
// so that joining and adding can refuse a banned person without waking the room's object.
export const roomBans = sqliteTable(
  "room_bans",
  {
    roomId: text("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // Null: until someone lifts it.
    until: integer("until", { mode: "timestamp_ms" }),
  },
  (table) => [primaryKey({ columns: [table.roomId, table.userId] })],
);

// One person blocking another: the blocked one cannot open a direct room with them or message them in one.
export const blocks = sqliteTable(
  "blocks",
  {
    blockerId: text("blocker_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    blockedId: text("blocked_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.blockerId, table.blockedId] }),
    index("blocks_blocked_idx").on(table.blockedId),
  ],
);

// What one person uploaded on one UTC day (bytes and files), for the daily upload quota. One
// conditional statement reserves an upload, so parallel uploads cannot pass the quota together.
export const uploadQuotas = sqliteTable(
  "upload_quotas",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    bytes: integer("bytes").notNull().default(0),
    files: integer("files").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.userId, table.day] })],
);

// Link previews, cached per URL across rooms (a link shared in ten rooms is fetched once a day).
// `preview` is the JSON of the card, or null when the page had none (that answer is cached too).
export const linkPreviews = sqliteTable("link_previews", {
  url: text("url").primaryKey(),
  preview: text("preview"),
  fetchedAt: integer("fetched_at", { mode: "timestamp_ms" }).notNull(),
});
