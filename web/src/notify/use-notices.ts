import { useEffect, useRef } from "preact/hooks";
import { answer } from "../api/answers";
import { api } from "../api/client";
import type { ChannelFrame, RoomSummary } from "../api/types";
import { parseMarkup, plainText } from "../text/markup";
import { grouped, mentionNotice, messageNotice, type Notice, type NoticeGroups, seen } from "./notices";
import { clearRoomNotifications, showSystemNotification } from "./system";

// The app's system notifications, from the user channel's frames (notices.ts decides which),
// while the tab is hidden: one per room, saying who wrote what and how many came.

const BODY_CHARS = 140;

export function useNotices(me: string, openRoomId: string | null) {
  const groups = useRef<NoticeGroups>(new Map());
  const names = useRef(new Map<string, Promise<string>>());

  useEffect(() => {
    const looked = () => {
      if (document.visibilityState === "visible") groups.current = seen(groups.current);
    };
    document.addEventListener("visibilitychange", looked);
    return () => document.removeEventListener("visibilitychange", looked);
  }, []);

  useEffect(() => {
    if (openRoomId) void clearRoomNotifications(openRoomId).catch(() => undefined);
  }, [openRoomId]);

  const nameOf = (userId: string): Promise<string> => {
    let name = names.current.get(userId);
    if (!name) {
      name = answer(api.users[":userId"].$get({ param: { userId } }))
        .then((profile) => profile.displayName)
        .catch(() => "Someone");
      names.current.set(userId, name);
    }
    return name;
  };

  const announce = async (notice: Notice, room: RoomSummary | undefined) => {
    const counted = grouped(groups.current, notice);
    if (!counted) return;
    groups.current = counted.groups;
    const author =
      room?.kind === "direct" && room.peer?.id === notice.userId
        ? room.peer.displayName
        : await nameOf(notice.userId);
    const where = room ? (room.kind === "direct" ? author : `# ${room.name}`) : "Hubbub";
    const text = plainText(parseMarkup(notice.body)).slice(0, BODY_CHARS);
    const more = counted.count > 1 ? ` (${counted.count} new)` : "";
    await showSystemNotification({
      roomId: notice.roomId,
      title: `${notice.mention ? `${author} mentioned you in ${where}` : where}${more}`,
      body: room?.kind === "direct" ? text : `${author}: ${text}`,
    });
  };

  /** Every frame of the user channel, with the room list as it was before the frame. */
  return (frame: ChannelFrame, rooms: RoomSummary[]) => {
    if (document.visibilityState !== "hidden") return;
    const before = (id: string) => rooms.find((room) => room.id === id);
    const notice =
      frame.type === "mention"
        ? mentionNotice(frame, before(frame.roomId))
        : frame.type === "room_updated"
          ? messageNotice(before(frame.room.id), frame.room, me)
          : null;
    const room = frame.type === "room_updated" ? frame.room : notice ? before(notice.roomId) : undefined;
    if (notice)
      void announce(notice, room).catch((error: unknown) => console.warn("notification failed", error));
  };
}
