import type { ChannelFrame, Message, RoomSummary } from "../api/types";

// What is worth a system notification, decided from what the user channel says (pure, so the unit
// tests replay frames). A room's level says what may notify (API.md "Notification levels"): `all`
// every new message in its main timeline (seen as a `room_updated` whose last message moved),
// `mentions` only mentions (the `mention` frame, thread replies too), `none` nothing. Each room's
// notices are grouped into one notification that says how many came, and a message is never
// announced twice (a mention in an `all` room arrives both ways).

export type Notice = { roomId: string; seq: number; userId: string; body: string; mention: boolean };

/** Per room: the newest seq announced and how many notices since the tab was last looked at. */
export type NoticeGroups = ReadonlyMap<string, { lastSeq: number; count: number }>;

/** A new main-timeline message from someone else, in a room whose level is `all`. */
export function messageNotice(
  previous: RoomSummary | undefined,
  next: RoomSummary,
  me: string,
): Notice | null {
  const last = next.lastMessage;
  if (next.notify !== "all" || !last || last.userId === me || last.seq <= next.lastReadSeq) return null;
  if (previous?.lastMessage && previous.lastMessage.seq >= last.seq) return null;
  return { roomId: next.id, seq: last.seq, userId: last.userId, body: last.body, mention: false };
}

/** A mention of us, unless the room is muted (the server sends none for `none`; a level changed since may). */
export function mentionNotice(
  frame: Extract<ChannelFrame, { type: "mention" }>,
  room: RoomSummary | undefined,
): Notice | null {
  if (room?.notify === "none") return null;
  const message: Message = frame.message;
  return {
    roomId: frame.roomId,
    seq: message.seq,
    userId: message.userId,
    body: message.body,
    mention: true,
  };
}

/** Counts a notice into its room's group; null if that message was announced already. */
export function grouped(
  groups: NoticeGroups,
  notice: Notice,
): { groups: NoticeGroups; count: number } | null {
  const group = groups.get(notice.roomId);
  if (group && notice.seq <= group.lastSeq) return null;
  const count = (group?.count ?? 0) + 1;
  return { groups: new Map(groups).set(notice.roomId, { lastSeq: notice.seq, count }), count };
}

/** The tab is looked at again: the counts start over (what was announced stays announced). */
export function seen(groups: NoticeGroups): NoticeGroups {
  return new Map([...groups].map(([roomId, group]) => [roomId, { ...group, count: 0 }]));
}

/** The unread count in the page's title: muted rooms stay out of it. */
export function titleUnread(rooms: RoomSummary[]): number {
  return rooms.reduce((sum, room) => sum + (room.notify === "none" ? 0 : room.unreadCount), 0);
}
