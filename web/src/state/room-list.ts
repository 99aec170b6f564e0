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

/** Opening a room reads it: clear its badge now rather than after the next summary. */
export function markRoomRead(rooms: RoomSummary[], roomId: string, seq: number): RoomSummary[] {
  return rooms.map((room) =>
    room.id === roomId && seq >= room.lastReadSeq
      ? { ...room, lastReadSeq: seq, unreadCount: Math.max(0, (room.lastMessage?.seq ?? 0) - seq) }
      : room,
  );
}
