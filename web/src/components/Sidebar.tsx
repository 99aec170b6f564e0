import type { Session } from "../api/session";
import type { RoomKind, RoomSummary } from "../api/types";
import { relativeTime } from "../format";
import type { Permission } from "../notify/system";
import type { ConnectionState } from "../realtime/live-socket";
import { navigate } from "../router";
import { Avatar } from "./Avatar";

export type DialogName = "create" | "discover" | "direct" | "profile" | "delete-account";

const SECTIONS: { kind: RoomKind; title: string }[] = [
  { kind: "direct", title: "Direct messages" },
  { kind: "public", title: "Public rooms" },
  { kind: "private", title: "Private rooms" },
];

export const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
  closed: "Disconnected",
};

function preview(room: RoomSummary, me: string): string {
  const last = room.lastMessage;
  if (!last) return room.topic || "No messages yet";
  const body = last.body === "" ? "Message deleted" : last.body;
  return last.userId === me ? `You: ${body}` : body;
}

export function Sidebar(props: {
  session: Session;
  rooms: RoomSummary[] | null;
  activeRoomId: string | null;
  connection: ConnectionState;
  /** The list is the whole page (a phone with no room open): its brand is the page's heading. */
  isThePage: boolean;
  onOpen: (dialog: DialogName) => void;
  onSignOut: () => void;
  notifications: Permission;
  onAskNotifications: () => void;
}) {
  const me = props.session.user;
  return (
    <nav class="sidebar" aria-label="Rooms">
      <header class="sidebar-header">
        {props.isThePage ? <h1 class="brand">Hubbub</h1> : <span class="brand">Hubbub</span>}
        <button
          type="button"
          class="profile-button"
          onClick={() => props.onOpen("profile")}
          aria-label="Edit profile"
        >
          <Avatar name={me.displayName} id={me.id} url={me.avatarUrl} />
          <span class="profile-name">
            <bdi>{me.displayName}</bdi>
          </span>
        </button>
      </header>
      <div class="sidebar-actions">
        <button type="button" onClick={() => props.onOpen("direct")}>
          New chat
        </button>
        <button type="button" onClick={() => props.onOpen("create")}>
          New room
        </button>
        <button type="button" onClick={() => props.onOpen("discover")}>
          Browse
        </button>
      </div>
      <div class="room-sections">
        {props.rooms === null && <p class="muted pad">Loading rooms…</p>}
        {props.rooms?.length === 0 && (
          <p class="muted pad">No rooms yet. Start a direct message, create a room or browse public ones.</p>
        )}
        {SECTIONS.map(({ kind, title }) => {
          const rooms = props.rooms?.filter((room) => room.kind === kind) ?? [];
          if (rooms.length === 0) return null;
          return (
            <section key={kind} aria-label={title}>
              <h2 class="section-title">{title}</h2>
              <ul class="room-list">
                {rooms.map((room) => {
                  const active = room.id === props.activeRoomId;
                  const name = room.kind === "direct" ? (room.peer?.displayName ?? room.name) : room.name;
                  const label = room.kind === "direct" ? name : `# ${name}`;
                  return (
                    <li key={room.id}>
                      <a
                        href={`/rooms/${room.id}`}
                        class={active ? "room-item active" : "room-item"}
                        aria-current={active ? "page" : undefined}
                        onClick={(event) => {
                          event.preventDefault();
                          navigate(`/rooms/${room.id}`);
                        }}
                      >
                        {room.kind === "direct" && (
                          <Avatar name={label} id={room.peer?.id ?? room.id} url={room.peer?.avatarUrl} />
                        )}
                        <span class="room-text">
                          <span class="room-line">
                            <span
                              class={
                                room.unreadCount > 0 && room.notify !== "none"
                                  ? "room-name unread"
                                  : "room-name"
                              }
                            >
                              {room.kind === "direct" ? "" : "# "}
                              <bdi>{name}</bdi>
                            </span>
                            <time class="room-time" dateTime={room.lastActivityAt}>
                              {relativeTime(room.lastActivityAt)}
                            </time>
                          </span>
                          <span class="room-line">
                            <span class="room-preview">{preview(room, me.id)}</span>
                            <RoomBadges room={room} />
                          </span>
                        </span>
                      </a>
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      </div>
      {props.notifications === "default" && (
        <div class="notify-prompt">
          <p>Get a notification when someone writes to you while Hubbub is in the background.</p>
          <button type="button" onClick={props.onAskNotifications}>
            Turn on notifications
          </button>
        </div>
      )}
      <footer class="sidebar-footer">
        <span class={`connection ${props.connection}`} role="status">
          <span class="dot" aria-hidden="true" /> {CONNECTION_LABELS[props.connection]}
        </span>
        <button type="button" class="link-button" onClick={props.onSignOut}>
          Sign out
        </button>
      </footer>
    </nav>
  );
}

/**
 * What is waiting in a room: "@" with the mentions of you (they matter most), the unread count (a
 * quiet grey one in a muted room), and a muted room says so.
 */
function RoomBadges({ room }: { room: RoomSummary }) {
  const muted = room.notify === "none";
  const count = (n: number) => (n > 99 ? "99+" : String(n));
  return (
    <>
      {muted && (
        <span class="muted-mark" title="Muted">
          <span aria-hidden="true">🔕</span>
          <span class="visually-hidden"> muted</span>
        </span>
      )}
      {room.mentionCount > 0 && (
        <span class="badge mention-badge">
          <span aria-hidden="true">@</span>
          {count(room.mentionCount)}
          <span class="visually-hidden"> {room.mentionCount === 1 ? "mention" : "mentions"}</span>
        </span>
      )}
      {room.unreadCount > 0 && (
        <span class={muted ? "badge quiet" : "badge"}>
          {count(room.unreadCount)}
          <span class="visually-hidden"> unread</span>
        </span>
      )}
    </>
  );
}
