// The schema of a room's own SQLite, as an ordered list of migrations. Each room applies the ones it
// has not applied yet when its object starts (rooms in the field are upgraded in place, the first
// time they wake after a deploy), each in a transaction of its own, and records it by name.
//
// To change the schema: append a migration with a new name; never edit or reorder one that has
// shipped. A migration may also fill what it adds from existing rows (a new index of old messages).

export type RoomMigration = { name: string; statements: string[] };

export const roomMigrations: RoomMigration[] = [
  {
    // Rooms made before migrations existed already have these tables: IF NOT EXISTS keeps them.
    name: "0001_messages_receipts_meta",
    statements: [
      `CREATE TABLE IF NOT EXISTS messages (
         seq INTEGER PRIMARY KEY,
         id TEXT NOT NULL,
         user_id TEXT NOT NULL,
         body TEXT NOT NULL,
         client_id TEXT,
         created_at INTEGER NOT NULL,
         edited_at INTEGER,
         deleted_at INTEGER
       )`,
      // A retried send (same author, same clientId) finds the first row instead of making a second.
      "CREATE UNIQUE INDEX IF NOT EXISTS messages_author_client ON messages (user_id, client_id) WHERE client_id IS NOT NULL",
      `CREATE TABLE IF NOT EXISTS receipts (
         user_id TEXT PRIMARY KEY,
         delivered_seq INTEGER NOT NULL DEFAULT 0,
         read_seq INTEGER NOT NULL DEFAULT 0,
         read_synced INTEGER NOT NULL DEFAULT 1
       )`,
      "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ],
  },
  {
    // The room knows who its members are (the Worker tells it every change), so a socket cannot
    // slip in between the Worker's membership check and a removal. Rooms made before this learn
    // their members from D1 the first time they need them (meta "membersLoaded").
    name: "0002_members",
    statements: [
      `CREATE TABLE IF NOT EXISTS members (
         user_id TEXT PRIMARY KEY,
         role TEXT NOT NULL,
         joined_at INTEGER NOT NULL
       )`,
    ],
  },
  {
    // Moderation is per room: who is banned or muted (until when), what was reported, and who did
    // what to whom (the audit log, ids increasing so pages can say "before").
    name: "0003_moderation",
    statements: [
      `CREATE TABLE IF NOT EXISTS bans (
         user_id TEXT PRIMARY KEY,
         by_user_id TEXT NOT NULL,
         reason TEXT NOT NULL DEFAULT '',
         at INTEGER NOT NULL,
         until INTEGER
       )`,
      `CREATE TABLE IF NOT EXISTS mutes (
         user_id TEXT PRIMARY KEY,
         by_user_id TEXT NOT NULL,
         at INTEGER NOT NULL,
         until INTEGER NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS reports (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         seq INTEGER NOT NULL,
         reporter_id TEXT NOT NULL,
         reason TEXT NOT NULL,
         at INTEGER NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS audit (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         at INTEGER NOT NULL,
         actor_id TEXT NOT NULL,
         action TEXT NOT NULL,
         target_user_id TEXT,
         seq INTEGER,
         details TEXT
       )`,
      // A direct room refuses messages from someone its other member blocked.
      `CREATE TABLE IF NOT EXISTS blocks (
         blocker_id TEXT NOT NULL,
         blocked_id TEXT NOT NULL,
         PRIMARY KEY (blocker_id, blocked_id)
       )`,
    ],
  },
  {
    // Conversations (API.md "Messages, extended"): threads (a reply keeps its own room seq and names
    // its root), quotes, mentions, pins, reactions, and the main timeline's own count (thread
    // replies are left out of it, and of unread counts), filled for the messages rooms already have.
    name: "0004_conversation",
    statements: [
      "ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'text'",
      "ALTER TABLE messages ADD COLUMN thread_seq INTEGER",
      "ALTER TABLE messages ADD COLUMN reply_to_seq INTEGER",
      "ALTER TABLE messages ADD COLUMN mentions TEXT",
      "ALTER TABLE messages ADD COLUMN pinned_at INTEGER",
      "ALTER TABLE messages ADD COLUMN pinned_by TEXT",
      "ALTER TABLE messages ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE messages ADD COLUMN last_reply_at INTEGER",
      "ALTER TABLE messages ADD COLUMN thread_participants TEXT",
      "ALTER TABLE messages ADD COLUMN main_ordinal INTEGER",
      "UPDATE messages SET main_ordinal = seq",
      "CREATE INDEX IF NOT EXISTS messages_main ON messages (seq) WHERE thread_seq IS NULL",
      "CREATE INDEX IF NOT EXISTS messages_thread ON messages (thread_seq, seq) WHERE thread_seq IS NOT NULL",
      "CREATE INDEX IF NOT EXISTS messages_pinned ON messages (pinned_at) WHERE pinned_at IS NOT NULL",
      `CREATE TABLE IF NOT EXISTS reactions (
         seq INTEGER NOT NULL,
         emoji TEXT NOT NULL,
         user_id TEXT NOT NULL,
         at INTEGER NOT NULL,
         PRIMARY KEY (seq, emoji, user_id)
       )`,
      // Unread mentions per member, for the room list's mentionCount (synced to D1 in batches).
      `CREATE TABLE IF NOT EXISTS mention_marks (
         user_id TEXT NOT NULL,
         seq INTEGER NOT NULL,
         synced INTEGER NOT NULL DEFAULT 0,
         PRIMARY KEY (user_id, seq)
       )`,
      "ALTER TABLE members ADD COLUMN username TEXT",
      "ALTER TABLE members ADD COLUMN notify TEXT NOT NULL DEFAULT 'all'",
    ],
  },
  {
    // Files (API.md "Attachments and link previews"): their metadata here, their bytes in R2.
    // attachment_count lets a page of messages without files skip looking for any; link_preview is
    // the card of a message's first link (JSON), or the string "removed" once its author removed it.
    name: "0005_media",
    statements: [
      `CREATE TABLE IF NOT EXISTS attachments (
         id TEXT PRIMARY KEY,
         uploader_id TEXT NOT NULL,
         name TEXT NOT NULL,
         content_type TEXT NOT NULL,
         size INTEGER NOT NULL,
         width INTEGER,
         height INTEGER,
         has_thumbnail INTEGER NOT NULL DEFAULT 0,
         created_at INTEGER NOT NULL,
         completed INTEGER NOT NULL DEFAULT 0,
         seq INTEGER,
         position INTEGER
       )`,
      "CREATE INDEX IF NOT EXISTS attachments_seq ON attachments (seq, position) WHERE seq IS NOT NULL",
      "CREATE INDEX IF NOT EXISTS attachments_unsent ON attachments (created_at) WHERE seq IS NULL",
      "ALTER TABLE messages ADD COLUMN attachment_count INTEGER NOT NULL DEFAULT 0",
      "ALTER TABLE messages ADD COLUMN link_preview TEXT",
    ],
  },
  {
    // Search (API.md "Search"): an FTS5 index of what can be found, written by triggers in the same
    // transaction as the message (see store/search.ts for why triggers), and filled here from the
    // messages rooms already have, so the first search after the upgrade finds old ones too.
    //
    // It indexes a view, not the table: only live text messages are searchable (a deleted one has
    // no body and is never found; a call message has none), and the author's id without its hyphens,
    // one token that from:username matches. The view is also what snippet() reads the text from, so
    // the index and the text it highlights can never disagree. bm25 weighs the author column 0.
    name: "0005_search",
    statements: [
      `CREATE VIEW IF NOT EXISTS searchable_messages AS
         SELECT seq, body, replace(user_id, '-', '') AS author FROM messages
         WHERE deleted_at IS NULL AND kind = 'text'`,
      `CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
         body, author,
         content = 'searchable_messages', content_rowid = 'seq',
         tokenize = 'unicode61 remove_diacritics 2'
       )`,
      `CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages
         WHEN new.deleted_at IS NULL AND new.kind = 'text'
       BEGIN
         INSERT INTO messages_fts (rowid, body, author) VALUES (new.seq, new.body, replace(new.user_id, '-', ''));
       END`,
      // An edit or a delete: out with what was indexed (an external-content index must be told the
      // old text exactly), in with what is searchable now. Pins and thread counters fire nothing.
      `CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF body, deleted_at, kind ON messages
       BEGIN
         INSERT INTO messages_fts (messages_fts, rowid, body, author)
           SELECT 'delete', old.seq, old.body, replace(old.user_id, '-', '')
           WHERE old.deleted_at IS NULL AND old.kind = 'text';
         INSERT INTO messages_fts (rowid, body, author)
           SELECT new.seq, new.body, replace(new.user_id, '-', '')
           WHERE new.deleted_at IS NULL AND new.kind = 'text';
       END`,
      `CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages
         WHEN old.deleted_at IS NULL AND old.kind = 'text'
       BEGIN
         INSERT INTO messages_fts (messages_fts, rowid, body, author)
           VALUES ('delete', old.seq, old.body, replace(old.user_id, '-', ''));
       END`,
      // The messages this room already has (the view holds exactly those that can be found).
      "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')",
    ],
  },
  {
    // Calls (API.md "Calls"): who is in the call lives on the sockets; what must outlast any one
    // socket is here: when the call started, who started it, everyone who took part, and whom a
    // direct call rings until when. A call's end is a message whose call_summary says how it went.
    name: "0006_calls",
    statements: [
      "ALTER TABLE messages ADD COLUMN call_summary TEXT",
      `CREATE TABLE IF NOT EXISTS current_call (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         started_at INTEGER NOT NULL,
         started_by TEXT NOT NULL,
         participant_ids TEXT NOT NULL,
         ringing_user_id TEXT,
         ring_until INTEGER
       )`,
    ],
  },
  {
    // Search's completions (store/search.ts): a read-only view of the index's own vocabulary, so
    // that a last word typed as a prefix (`the`) is asked as the few words of this room it starts
    // (the OR them OR then …) instead of by FTS5's prefix query, which merges those words' whole
    // doclists before it can read the newest match. It stores nothing and costs a send nothing.
    name: "0007_search_terms",
    statements: ["CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts_terms USING fts5vocab(messages_fts, col)"],
  },
];

/** Applies the migrations this room has not applied yet, in order; returns their names. */
export function migrate(storage: DurableObjectStorage, migrations = roomMigrations): string[] {
  const sql = storage.sql;
  sql.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)",
  );
  const applied = new Set(
    sql
      .exec<{ name: string }>("SELECT name FROM schema_migrations")
      .toArray()
      .map((row) => row.name),
  );
  const now: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    storage.transactionSync(() => {
      for (const statement of migration.statements) sql.exec(statement);
      sql.exec("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", migration.name, Date.now());
    });
    now.push(migration.name);
  }
  return now;
}
