import type { ChannelFrame, RoomSummary } from "../api/types";

// The room list: kept in the order of activity, updated by the user channel's frames.

export function sortByActivity(rooms: RoomSummary[]): RoomSummary[] {
  return [...rooms].sort(
    (a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt) || a.id.localeCompare(b.id),
  );
}

export function applyRoomFrame(rooms: RoomSummary[], frame: ChannelFrame): RoomSummary[] {
  switch (frame.type) {
    case "room_added":
    case "room_updated":
      return sortByActivity([...rooms.filter((room) => room.id !== frame.room.id), frame.room]);
    case "room_removed":
      return rooms.filter((room) => room.id !== frame.roomId);
    default:
      return rooms;
  }
}

/** Opening a room reads it: clear its badges now rather than after the next summary. */
export function markRoomRead(rooms: RoomSummary[], roomId: string, seq: number): RoomSummary[] {
  return rooms.map((room) => {
    if (room.id !== roomId || seq < room.lastReadSeq) return room;
    const newest = room.lastMessage?.seq ?? 0;
    return {
      ...room,
      lastReadSeq: seq,
      unreadCount: Math.max(0, newest - seq),
      mentionCount: seq >= newest ? 0 : room.mentionCount,
    };
  });
}

/**
 * A `mention` frame: the room's "@" badge counts it at once (the next `room_updated`, a second or
 * so later, brings the server's count, which replaces ours). Not in the room being read.
 */
export function countMention(rooms: RoomSummary[], roomId: string, openRoomId: string | null): RoomSummary[] {
  if (roomId === openRoomId) return rooms;
  return rooms.map((room) => (room.id === roomId ? { ...room, mentionCount: room.mentionCount + 1 } : room));
}

/** Our notification level changed (PUT …/notifications): shown at once. */
export function setNotifyLevel(
  rooms: RoomSummary[],
  roomId: string,
  notify: RoomSummary["notify"],
): RoomSummary[] {
  return rooms.map((room) => (room.id === roomId ? { ...room, notify } : room));
}
