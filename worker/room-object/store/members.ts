import type { Role } from "../../protocol/rooms";

// Who is a member of this room, and with which role: a copy of D1's memberships that the room
// keeps in step (the Worker tells it every change), so it can admit sockets and check roles
// without asking D1.

export type RoomMember = { userId: string; role: Role; joinedAt: number };

type MemberRow = { user_id: string; role: Role; joined_at: number };

export class MemberStore {
  private cache: Map<string, RoomMember> | null = null;

  constructor(private readonly sql: SqlStorage) {}

  forget(): void {
    this.cache = null;
  }

  private map(): Map<string, RoomMember> {
    this.cache ??= new Map(
      this.sql
        .exec<MemberRow>("SELECT user_id, role, joined_at FROM members")
        .toArray()
        .map((row) => [row.user_id, { userId: row.user_id, role: row.role, joinedAt: row.joined_at }]),
    );
    return this.cache;
  }

  get(userId: string): RoomMember | null {
    return this.map().get(userId) ?? null;
  }

  all(): RoomMember[] {
    return [...this.map().values()];
  }

  count(): number {
    return this.map().size;
  }

  /** Adds a member or changes their role; keeps the time they first joined. */
  put(userId: string, role: Role, joinedAt = Date.now()): void {
    const known = this.get(userId);
    const since = known?.joinedAt ?? joinedAt;
    this.sql.exec(
      `INSERT INTO members (user_id, role, joined_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET role = excluded.role`,
      userId,
      role,
      since,
    );
    this.map().set(userId, { userId, role, joinedAt: since });
  }

  remove(userId: string): void {
    this.sql.exec("DELETE FROM members WHERE user_id = ?", userId);
    this.map().delete(userId);
  }

  /** Replaces the whole list (loading it from D1). */
  replace(members: RoomMember[]): void {
    this.sql.exec("DELETE FROM members");
    for (const member of members) {
      this.sql.exec(
        "INSERT INTO members (user_id, role, joined_at) VALUES (?, ?, ?)",
        member.userId,
        member.role,
        member.joinedAt,
      );
    }
    this.cache = new Map(members.map((member) => [member.userId, { ...member }]));
  }
}
