import type { Message } from "../api/types";

// A `reaction` frame applied to the message the client holds: the same counts the server would
// answer (per emoji, in first-reaction order, who reacted), without asking it. Idempotent: a frame
// seen twice (a resume, a second socket) changes nothing the second time.

export function withReaction(message: Message, userId: string, emoji: string, on: boolean): Message {
  const existing = message.reactions.find((reaction) => reaction.emoji === emoji);
  const has = existing?.userIds.includes(userId) ?? false;
  if (on === has) return message;
  if (on) {
    const reactions = existing
      ? message.reactions.map((reaction) =>
          reaction.emoji === emoji
            ? { ...reaction, count: reaction.count + 1, userIds: [...reaction.userIds, userId] }
            : reaction,
        )
      : [...message.reactions, { emoji, count: 1, userIds: [userId] }];
    return { ...message, reactions };
  }
  const reactions = message.reactions
    .map((reaction) =>
      reaction.emoji === emoji
        ? { ...reaction, count: reaction.count - 1, userIds: reaction.userIds.filter((id) => id !== userId) }
        : reaction,
    )
    .filter((reaction) => reaction.count > 0);
  return { ...message, reactions };
}

/**
 * Who reacted, in words: "You", "Ann and Ben", "You, Ann and 3 others". Up to three names; you come
 * first when you are among them, as Slack and Matrix say it.
 */
export function whoReacted(
  userIds: string[],
  me: string,
  nameOf: (userId: string) => string,
  count = userIds.length,
) {
  const ordered = userIds.includes(me) ? [me, ...userIds.filter((id) => id !== me)] : userIds;
  const names = ordered.map((id) => (id === me ? "You" : nameOf(id)));
  const shown = names.length <= 3 && count <= 3 ? names : names.slice(0, 2);
  const rest = count - shown.length;
  if (rest > 0) return `${shown.join(", ")} and ${rest} ${rest === 1 ? "other" : "others"}`;
  if (shown.length === 1) return shown[0] ?? "";
  return `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}
