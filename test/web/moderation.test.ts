import { describe, expect, it } from "vitest";
import type { AuditEntry, Member, RoomDetail, RoomSummary } from "../../web/src/api/types.ts";
import { asSentence, clockTime, durationLabel, readableTimes, timeAgo } from "../../web/src/format.ts";
import { auditSentence, canModerate, memberActions } from "../../web/src/state/moderation.ts";
import { applyRoomFrame, channelNotice } from "../../web/src/state/room-list.ts";
import { namesList, sentenceText } from "../../web/src/state/sentence.ts";

// Moderation as the client offers it: the member menu shows only what the server would allow, the
// audit log reads as sentences with every name kept apart (for <bdi>), and the server's times and
// refusals read as people say them.

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

function member(userId: string, role: Member["role"] = "member"): Member {
  return { userId, username: userId, displayName: userId, role, online: false, avatarUrl: null };
}

const room = (role: RoomDetail["role"], kind: RoomDetail["kind"] = "public") => ({ kind, role });

describe("a member's menu", () => {
  it("gives the owner everything on anyone else, roles included", () => {
    expect(memberActions(room("owner"), "ann", member("ben"))).toEqual([
      "make_admin",
      "make_owner",
      "remove",
      "ban",
      "mute",
    ]);
    expect(memberActions(room("owner"), "ann", member("cy", "admin"))[0]).toBe("remove_admin");
  });

  it("gives an admin remove, ban and mute on plain members only, and no roles", () => {
    expect(memberActions(room("admin"), "ann", member("ben"))).toEqual(["remove", "ban", "mute"]);
    expect(memberActions(room("admin"), "ann", member("cy", "admin"))).toEqual([]);
    expect(memberActions(room("admin"), "ann", member("dee", "owner"))).toEqual([]);
  });

  it("gives nothing on yourself, to plain members, or in a direct room", () => {
    expect(memberActions(room("owner"), "ann", member("ann", "owner"))).toEqual([]);
    expect(memberActions(room("member"), "ann", member("ben"))).toEqual([]);
    expect(memberActions(room("owner", "direct"), "ann", member("ben"))).toEqual([]);
  });

  it("shows the room settings to owners and admins, never in a direct room", () => {
    expect(canModerate(room("owner"))).toBe(true);
    expect(canModerate(room("admin", "private"))).toBe(true);
    expect(canModerate(room("member"))).toBe(false);
    expect(canModerate(room("owner", "direct"))).toBe(false);
    expect(canModerate(null)).toBe(false);
  });
});

describe("the audit log in sentences", () => {
  const names: Record<string, string> = { ann: "Ann", ben: "Ben", "u-3": "بن" };
  const nameOf = (userId: string) => names[userId] ?? "someone";
  const at = new Date(NOW).toISOString();
  const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
    id: 1,
    at,
    actorId: "ann",
    action: "member_removed",
    targetUserId: "ben",
    ...overrides,
  });
  const said = (overrides: Partial<AuditEntry>) => sentenceText(auditSentence(entry(overrides), nameOf));

  it("says who did what to whom, with the reason and how long", () => {
    expect(said({ action: "member_banned", details: { reason: "spam", until: null } })).toBe(
      "Ann banned Ben (spam)",
    );
    expect(said({ action: "member_banned", details: { reason: "", until: NOW + 86_400_000 } })).toBe(
      "Ann banned Ben for 1 day",
    );
    expect(said({ action: "member_muted", details: { until: NOW + 600_000 } })).toBe(
      "Ann muted Ben for 10 minutes",
    );
    const inAnHour = new Date(NOW + 3_600_000).toISOString();
    expect(said({ action: "member_muted", details: { until: inAnHour } })).toBe("Ann muted Ben for 1 hour");
    expect(said({ action: "member_unbanned" })).toBe("Ann lifted the ban on Ben");
    expect(said({ action: "member_unmuted" })).toBe("Ann ended the mute of Ben");
    expect(said({ action: "member_removed" })).toBe("Ann removed Ben from the room");
  });

  it("tells roles, hand-overs, renames and deleted messages apart", () => {
    expect(said({ action: "role_changed", details: { from: "member", to: "admin" } })).toBe(
      "Ann made Ben an admin",
    );
    expect(said({ action: "role_changed", details: { from: "admin", to: "member" } })).toBe(
      "Ann made Ben a member again (no longer an admin)",
    );
    expect(said({ action: "ownership_transferred", details: { from: "member", to: "owner" } })).toBe(
      "Ann handed the room over to Ben",
    );
    expect(
      said({ action: "room_renamed", targetUserId: undefined, details: { name: "lobby", topic: "Be nice" } }),
    ).toBe("Ann renamed the room to # lobby and set the topic to “Be nice”");
    expect(said({ action: "message_deleted", seq: 12 })).toBe("Ann deleted a message by Ben (#12)");
  });

  it("keeps every name and typed reason a part of its own, for <bdi>", () => {
    const sentence = auditSentence(
      entry({ targetUserId: "u-3", action: "member_banned", details: { reason: "\u202espam" } }),
      nameOf,
    );
    expect(sentence.filter((part) => typeof part !== "string")).toEqual([
      { typed: "Ann" },
      { typed: "بن" },
      { typed: "\u202espam" },
    ]);
  });

  it("still says something about an action it has no words for", () => {
    expect(said({ action: "member_warned" })).toBe("Ann: member warned (Ben)");
  });
});

describe("names and times as people read them", () => {
  it("lists names as parts: Ann, Ben and Cy", () => {
    expect(sentenceText(namesList(["Ann", "Ben", "Cy"]))).toBe("Ann, Ben and Cy");
    expect(namesList(["Ann"])).toEqual([{ typed: "Ann" }]);
  });

  it("turns the server's ISO end time into the reader's own clock", () => {
    const until = new Date(NOW + 3_600_000).toISOString();
    const text = readableTimes(`You are muted in this room until ${until}.`, new Date(NOW));
    expect(text).toBe(`You are muted in this room until ${clockTime(until)}.`);
    const later = new Date(NOW + 3 * 86_400_000).toISOString();
    expect(readableTimes(`banned until ${later}`, new Date(NOW))).not.toContain("T");
  });

  it("makes a refusal one sentence, whatever its own punctuation", () => {
    expect(asSentence("no confirmation from the server")).toBe("No confirmation from the server.");
    expect(asSentence("You cannot message this person.")).toBe("You cannot message this person.");
  });

  it("says lengths and ages in words", () => {
    expect([10, 60, 1440, 10_080, 90].map(durationLabel)).toEqual([
      "10 minutes",
      "1 hour",
      "1 day",
      "1 week",
      "90 minutes",
    ]);
    const ago = (seconds: number) => timeAgo(new Date(NOW - seconds * 1000).toISOString(), NOW);
    expect([10, 120, 7200, 86_400 + 60, 3 * 86_400].map(ago)).toEqual([
      "just now",
      "2 min ago",
      "2 h ago",
      "yesterday",
      "3 days ago",
    ]);
  });
});

describe("the user channel's report frame", () => {
  const general: RoomSummary = {
    id: "r1",
    kind: "public",
    name: "general",
    topic: "",
    role: "owner",
    unreadCount: 0,
    mentionCount: 0,
    notify: "all",
    lastReadSeq: 0,
    lastMessage: null,
    lastActivityAt: new Date(NOW).toISOString(),
  };

  it("tells the moderator where, naming the room as a part of its own, and leaves the list alone", () => {
    const frame = { type: "report", roomId: "r1", seq: 7 } as const;
    const notice = channelNotice([general], frame);
    expect(notice && sentenceText(notice)).toBe(
      "Someone reported a message in #\u00a0general. Room settings → Reports lists it.",
    );
    expect(notice).toContainEqual({ typed: "general" });
    expect(applyRoomFrame([general], frame)).toEqual([general]);
  });

  it("says nothing for the list's own frames", () => {
    expect(channelNotice([general], { type: "room_removed", roomId: "r1" })).toBeNull();
    expect(applyRoomFrame([general], { type: "room_removed", roomId: "r1" })).toEqual([]);
  });
});
