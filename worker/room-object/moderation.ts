import type { MemberInfo } from "../protocol/frames";
import { CloseCode } from "../protocol/limits";
import type { Role } from "../protocol/rooms";
import { sendToUser } from "../user-channel/client";
import { type Caller, done, type Outcome, refuse } from "./api";
import type { Membership } from "./membership";
import type { RoomParts } from "./parts";
import type { AuditEntry, Ban, Mute, Report } from "./store";

// Moderation, kept by the room (API.md "Moderation and accounts"): bans and mutes with their end,
// reports of messages, blocks in a direct room, and the audit log of who did what to whom. The
// Worker checks the caller's role and writes D1 (memberships, the ban mirror that lets join and
// add refuse without waking the room); the room records, enforces and tells.

/** What an owner or admin did, as the Worker hands it to the room. */
export type ModerationAction =
  | { kind: "ban"; member: MemberInfo; reason: string; until: number | null }
  | { kind: "unban"; userId: string }
  | { kind: "mute"; userId: string; until: number }
  | { kind: "unmute"; userId: string }
  | { kind: "removed"; userId: string }
  | { kind: "role"; member: MemberInfo; from: Role }
  | { kind: "renamed"; changes: { name?: string | null; topic?: string | null } }
  | { kind: "block"; blockerId: string; blockedId: string; on: boolean };

export type ModerationQuery =
  | { kind: "bans" }
  | { kind: "mutes" }
  | { kind: "reports" }
  | { kind: "audit"; before: number; limit: number };

export type ModerationView =
  | { kind: "bans"; bans: Ban[] }
  | { kind: "mutes"; mutes: Mute[] }
  | { kind: "reports"; reports: Report[] }
  | { kind: "audit"; entries: AuditEntry[]; hasMore: boolean };

/** Times leave the API as ISO strings (API.md conventions), the audit log's details included. */
const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class Moderation {
  constructor(
    private readonly parts: RoomParts,
    private readonly membership: Membership,
  ) {}

  apply(caller: Caller, action: ModerationAction): void {
    const store = this.parts.store.moderation;
    const actorId = caller.userId;
    const none = { targetUserId: null, seq: null, details: null };
    switch (action.kind) {
      case "ban": {
        const userId = action.member.userId;
        store.ban({ userId, byUserId: actorId, reason: action.reason, at: Date.now(), until: action.until });
        store.audit({
          actorId,
          action: "member_banned",
          targetUserId: userId,
          seq: null,
          details: { reason: action.reason, until: isoOrNull(action.until) },
        });
        if (this.parts.store.members.get(userId)) this.membership.changed(action.member, "left");
        this.parts.sockets.end(CloseCode.removedFromRoom, "You were banned from this room.", userId);
        return;
      }
      case "unban":
        if (store.unban(action.userId))
          store.audit({ ...none, actorId, action: "member_unbanned", targetUserId: action.userId });
        return;
      case "mute":
        store.mute({ userId: action.userId, byUserId: actorId, at: Date.now(), until: action.until });
        store.audit({
          ...none,
          actorId,
          action: "member_muted",
          targetUserId: action.userId,
          details: { until: isoOrNull(action.until) },
        });
        return;
      case "unmute":
        if (store.unmute(action.userId))
          store.audit({ ...none, actorId, action: "member_unmuted", targetUserId: action.userId });
        return;
      case "removed":
        store.audit({ ...none, actorId, action: "member_removed", targetUserId: action.userId });
        return;
      case "role": {
        const to = action.member.role;
        const name = to === "owner" ? "ownership_transferred" : "role_changed";
        store.audit({
          ...none,
          actorId,
          action: name,
          targetUserId: action.member.userId,
          details: { from: action.from, to },
        });
        this.membership.changed(action.member, "updated");
        return;
      }
      case "renamed":
        store.audit({ ...none, actorId, action: "room_renamed", details: { ...action.changes } });
        return;
      case "block":
        store.setBlock(action.blockerId, action.blockedId, action.on);
        return;
    }
  }

  view(query: ModerationQuery): ModerationView {
    const store = this.parts.store.moderation;
    switch (query.kind) {
      case "bans":
        return { kind: "bans", bans: store.bans() };
      case "mutes":
        return { kind: "mutes", mutes: store.mutes() };
      case "reports":
        return { kind: "reports", reports: store.reports() };
      case "audit":
        return { kind: "audit", ...store.auditPage(query.before, query.limit) };
    }
  }

  /** Why this person may not post here right now (a mute, a block in a direct room), or null. */
  refusalToPost(userId: string): string | null {
    const mute = this.parts.store.moderation.activeMute(userId);
    if (mute) return `You are muted in this room until ${new Date(mute.until).toISOString()}.`;
    if (this.parts.store.moderation.isBlocked(userId)) return "You cannot message this person.";
    return null;
  }

  isBanned(userId: string): boolean {
    return this.parts.store.moderation.activeBan(userId) !== null;
  }

  /** A member reports a message: kept here, and the room's owners and admins hear of it at once. */
  async report(caller: Caller, seq: number, reason: string): Promise<Outcome<Report>> {
    if (!this.parts.store.messages.get(seq)) return refuse("not_found", `No message ${seq} in this room.`);
    const report = this.parts.store.moderation.report(seq, caller.userId, reason);
    const moderators = this.parts.store.members.all().filter((member) => member.role !== "member");
    await Promise.all(
      moderators.map((member) =>
        sendToUser(this.parts.env, member.userId, { type: "report", roomId: caller.roomId, seq }),
      ),
    );
    return done(report);
  }

  /** Someone else's message was deleted by an owner or admin. */
  deletedByModerator(actorId: string, seq: number, authorId: string): void {
    this.parts.store.moderation.audit({
      actorId,
      action: "message_deleted",
      targetUserId: authorId,
      seq,
      details: null,
    });
  }
}
