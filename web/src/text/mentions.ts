import type { Member } from "../api/types";

// Mentions as the composer offers them: the `@name` being typed at the caret, the members it may
// mean, and the text with the chosen one put in. The server decides who a body mentions
// (worker/room-object/composing.ts); these follow the same rules, so what the list offers is
// what the server will count: `@` after a space or punctuation, usernames of 3–32 of
// a-z A-Z 0-9 _ . -, and `@room` for owners and admins.

/** Someone the list can offer: a member, or the whole room. */
export type MentionCandidate = { username: string; label: string; userId: string | null };

export const ROOM_MENTION = "room";
const MOST_OFFERED = 8;
const TYPED_MENTION = /(^|[^\w.@-])@([A-Za-z0-9_.-]{0,32})$/;

/** The `@name` being typed just before the caret: where its `@` is and what follows it so far. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = TYPED_MENTION.exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[2] ?? "";
  return { start: caret - query.length - 1, query };
}

/** Members whose username or display name starts with the query (case folded), then `@room`. */
export function mentionCandidates(
  members: Member[],
  query: string,
  options: { me: string; canMentionRoom: boolean },
): MentionCandidate[] {
  const wanted = query.toLowerCase();
  const starts = (value: string) =>
    value
      .toLowerCase()
      .split(/\s+/)
      .some((word) => word.startsWith(wanted)) || value.toLowerCase().startsWith(wanted);
  const people = members
    .filter((member) => member.userId !== options.me)
    .filter((member) => starts(member.username) || starts(member.displayName))
    .map((member) => ({ username: member.username, label: member.displayName, userId: member.userId }));
  const room =
    options.canMentionRoom && ROOM_MENTION.startsWith(wanted)
      ? [{ username: ROOM_MENTION, label: "Everyone in this room", userId: null }]
      : [];
  return [...people.slice(0, MOST_OFFERED - room.length), ...room];
}

/** The text with the typed `@query` replaced by `@username ` and where the caret goes after it. */
export function insertMention(
  text: string,
  typed: { start: number; query: string },
  username: string,
): { text: string; caret: number } {
  const end = typed.start + 1 + typed.query.length;
  const inserted = `@${username} `;
  const after = text.slice(end).replace(/^ /, "");
  return { text: text.slice(0, typed.start) + inserted + after, caret: typed.start + inserted.length };
}

/**
 * How a mention in a message is shown: "me" (strongly: it is about you), "other" (a member, or an
 * @room that reached people), or null when the name is nobody here and stays plain text.
 */
export function mentionKind(
  username: string,
  context: { me: string; myUsername: string; mentions: string[]; members: Member[] },
): "me" | "other" | null {
  const name = username.toLowerCase();
  if (name === ROOM_MENTION) {
    // @room from someone who may not use it reaches nobody: the server lists no mentions then.
    if (context.mentions.length === 0) return null;
    return context.mentions.includes(context.me) ? "me" : "other";
  }
  if (name === context.myUsername.toLowerCase()) return "me";
  return context.members.some((member) => member.username.toLowerCase() === name) ? "other" : null;
}
