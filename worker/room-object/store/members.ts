import type { Role } from "../../protocol/rooms";

// Who is a member of this room: their role, their username (to resolve @mentions) and their
// notification level. A copy of D1's memberships that the room keeps in step (the Worker tells it
// every change), so it can admit sockets, check roles and notify without asking D1.

export type NotifyLevel = "all" | "mentions" | "none";

export type RoomMember = {
  userId: string;
  role: Role;
  joinedAt: number;
  username: string | null;
  notify: NotifyLevel;
};

type MemberRow = {
  user_id: string;
  role: Role;
  joined_at: number;
  username: string | null;
  notify: NotifyLevel;
};

const toMember = (row: MemberRow): RoomMember => ({
  userId: row.user_id,
  role: row.role,
  joinedAt: row.joined_at,
  username: row.username,
  notify: row.notify,
});

export class MemberStore {
  private cache: Map<string, RoomMember> | null = null;

  constructor(private readonly sql: SqlStorage) {}

  forget(): void {
    this.cache = null;
  }

  private map(): Map<string, RoomMember> {
    this.cache ??= new Map(
      this.sql
        .exec<MemberRow>("SELECT user_id, role, joined_at, username, notify FROM members")
        .toArray()
        .map((row) => [row.user_id, toMember(row)]),
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

  /** The member with this username (usernames are unique regardless of case), or null. */
  byUsername(username: string): RoomMember | null {
    const wanted = username.toLowerCase();
    for (const member of this.map().values()) if (member.username?.toLowerCase() === wanted) return member;
    return null;
  }

  /** Adds a member or changes their role (and username); keeps when they first joined and their level. */
  put(userId: string, role: Role, username: string | null, joinedAt = Date.now()): void {
    const known = this.get(userId);
    const member: RoomMember = {
      userId,
      role,
      joinedAt: known?.joinedAt ?? joinedAt,
      username: username ?? known?.username ?? null,
      notify: known?.notify ?? "all",
    };
    this.sql.exec(
      `INSERT INTO members (user_id, role, joined_at, username, notify) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET role = excluded.role, username = excluded.username`,
      member.userId,
      member.role,
      member.joinedAt,
      member.username,
      member.notify,
    );
    this.map().set(userId, member);
  }

  setNotify(userId: string, notify: NotifyLevel): void {
    const known = this.get(userId);
    if (!known) return;
    this.sql.exec("UPDATE members SET notify = ? WHERE user_id = ?", notify, userId);
    this.map().set(userId, { ...known, notify });
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
        "INSERT INTO members (user_id, role, joined_at, username, notify) VALUES (?, ?, ?, ?, ?)",
        member.userId,
        member.role,
        member.joinedAt,
        member.username,
        member.notify,
      );
    }
    this.cache = new Map(members.map((member) => [member.userId, { ...member }]));
  }
}
