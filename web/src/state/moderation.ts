import type { AuditEntry, Member, RoomDetail } from "../api/types";
import { durationLabel } from "../format";
import type { Sentence } from "./sentence";

// Moderation as the client offers it (API.md "Moderation and accounts"): what an owner or admin may
// do to whom, the lengths a ban or mute can have, and the audit log in sentences.

/** Something an owner or admin can do to a member, from the member's menu. */
export type MemberAction = "make_admin" | "remove_admin" | "make_owner" | "remove" | "ban" | "mute";

/**
 * What we may do to `target`, by the server's own rule (worker/rooms/moderation-routes.ts): the
 * owner on anyone, an admin on plain members only, nobody on themselves; a direct room has no
 * moderators. Roles are only the owner's to change. The server still decides: a role that changed
 * a moment ago is refused there, and the refusal is shown.
 */
export function memberActions(
  room: Pick<RoomDetail, "kind" | "role">,
  me: string,
  target: Member,
): MemberAction[] {
  if (room.kind === "direct" || target.userId === me || target.role === "owner") return [];
  if (room.role === "owner") {
    const role = target.role === "admin" ? "remove_admin" : "make_admin";
    return [role, "make_owner", "remove", "ban", "mute"];
  }
  if (room.role === "admin" && target.role === "member") return ["remove", "ban", "mute"];
  return [];
}

/** Whether we see the room's settings (bans, mutes, reports, the audit log). */
export function canModerate(room: Pick<RoomDetail, "kind" | "role"> | null): boolean {
  return room !== null && room.kind !== "direct" && (room.role === "owner" || room.role === "admin");
}

/** A length to choose for a ban or mute; `minutes: null` is a ban until someone lifts it. */
export type Length = { label: string; minutes: number | null };

export const BAN_LENGTHS: Length[] = [
  { label: "1 hour", minutes: 60 },
  { label: "1 day", minutes: 1440 },
  { label: "1 week", minutes: 10_080 },
  { label: "Forever", minutes: null },
];

export const MUTE_LENGTHS: Length[] = [
  { label: "10 minutes", minutes: 10 },
  { label: "1 hour", minutes: 60 },
  { label: "1 day", minutes: 1440 },
];

/**
 * "for 1 day" from an entry's time and the end its details give, or "". The server writes that end
 * in milliseconds since the epoch, where the rest of the API uses ISO times; both are read, so a
 * server that moves to ISO (as API.md's conventions would have it) keeps working here.
 */
function lengthOf(entry: AuditEntry): string {
  const until = entry.details?.until;
  const end = typeof until === "number" ? until : typeof until === "string" ? Date.parse(until) : Number.NaN;
  const minutes = Math.round((end - Date.parse(entry.at)) / 60_000);
  return minutes > 0 ? ` for ${durationLabel(minutes)}` : "";
}

/** A detail that someone typed (a reason, a name), if the entry has it as text. */
function typedDetail(entry: AuditEntry, key: string): string | null {
  const value = entry.details?.[key];
  return typeof value === "string" && value !== "" ? value : null;
}

function roleChange(entry: AuditEntry, actor: Sentence, target: Sentence): Sentence {
  const to = entry.details?.to;
  if (to === "admin") return [...actor, " made ", ...target, " an admin"];
  return [...actor, " made ", ...target, " a member again (no longer an admin)"];
}

function renamed(entry: AuditEntry, actor: Sentence): Sentence {
  const name = typedDetail(entry, "name");
  const topic = entry.details?.topic;
  const changes: Sentence[] = [];
  if (name) changes.push(["renamed the room to # ", { typed: name }]);
  if (typeof topic === "string")
    changes.push(topic === "" ? ["cleared the topic"] : ["set the topic to “", { typed: topic }, "”"]);
  if (changes.length === 0) return [...actor, " changed the room's details"];
  return [...actor, " ", ...changes.flatMap((change, index) => (index > 0 ? [" and ", ...change] : change))];
}

/**
 * One entry of the audit log as a sentence: "Ann banned Ben (spam)", "Ann muted Ben for 10
 * minutes", "Ann handed the room over to Ben". `nameOf` gives a person's display name.
 */
export function auditSentence(entry: AuditEntry, nameOf: (userId: string) => string): Sentence {
  const actor: Sentence = [{ typed: nameOf(entry.actorId) }];
  const target: Sentence = entry.targetUserId ? [{ typed: nameOf(entry.targetUserId) }] : ["someone"];
  const reason = typedDetail(entry, "reason");
  const because: Sentence = reason ? [" (", { typed: reason }, ")"] : [];
  switch (entry.action) {
    case "member_removed":
      return [...actor, " removed ", ...target, " from the room"];
    case "member_banned":
      return [...actor, " banned ", ...target, lengthOf(entry), ...because];
    case "member_unbanned":
      return [...actor, " lifted the ban on ", ...target];
    case "member_muted":
      return [...actor, " muted ", ...target, lengthOf(entry)];
    case "member_unmuted":
      return [...actor, " ended the mute of ", ...target];
    case "role_changed":
      return roleChange(entry, actor, target);
    case "ownership_transferred":
      return [...actor, " handed the room over to ", ...target];
    case "room_renamed":
      return renamed(entry, actor);
    case "message_deleted":
      return [...actor, " deleted a message by ", ...target, entry.seq ? ` (#${entry.seq})` : ""];
    default:
      // An action a newer server logs that this client has no words for yet.
      return [
        ...actor,
        `: ${entry.action.replaceAll("_", " ")}`,
        ...(entry.targetUserId ? [" (", ...target, ")"] : []),
      ];
  }
}
