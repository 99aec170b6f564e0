import type { ChannelFrame, RoomSummary } from "../api/types";
import type { Sentence } from "./sentence";

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
    case "report": // a notice for owners and admins (channelNotice), not a change to the list
    case "mention": // its count arrives in the room_updated that follows it
    case "call_ringing": // calls follow these (call/calls.ts), the list does not
    case "call_ringing_stopped":
    case "call_ended":
    case "error":
    case "pong":
      return rooms;
    default: {
      // A newer server may send frames this client does not know yet: they change nothing. The
      // assignment makes the compiler check that every frame of ChannelFrame is handled above.
      const unknown: never = frame;
      void unknown;
      return rooms;
    }
  }
}

/** What the channel's frame tells the person at once, if anything: a report, to a room's moderators. */
export function channelNotice(rooms: RoomSummary[], frame: ChannelFrame): Sentence | null {
  if (frame.type !== "report") return null;
  const room = rooms.find((each) => each.id === frame.roomId);
  // A no-break space keeps the # with the name it belongs to when the toast wraps.
  const where: Sentence = room ? [" in #\u00a0", { typed: room.name }] : [];
  return ["Someone reported a message", ...where, ". Room settings → Reports lists it."];
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
