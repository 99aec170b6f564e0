import type { ComponentChildren } from "preact";
import type { Member, RoomDetail, RoomSummary } from "../api/types";
import type { ConnectionState } from "../realtime/live-socket";
import { navigate } from "../router";
import { ActionMenu } from "./ActionMenu";
import { Avatar } from "./Avatar";
import { Icon } from "./Icon";
import { CONNECTION_LABELS } from "./Sidebar";

export type NotifyLevel = RoomSummary["notify"];
/** The side panels a room header opens: who is here (or the other person), the pins. */
export type HeaderPanel = "people" | "pins";

const LEVELS: { level: NotifyLevel; label: string; short: string }[] = [
  { level: "all", label: "Every new message", short: "All messages" },
  { level: "mentions", label: "Only mentions of me", short: "Mentions only" },
  { level: "none", label: "Nothing (mute)", short: "Muted" },
];

// The top of an open room: the way back (on phones), the room's name and topic (or, in a direct
// room, the other person and whether they are online), the socket's state when it is not live, and
// compact buttons: the call buttons, what you are notified of here (all, mentions, nothing), the pinned messages,
// and the side panel of who is in a room, or the other person's profile in a direct one (where
// "Members (2)" would tell nothing), and for owners and admins one for the room's settings. The
// title gets the rest of the width, so a phone shows the room's name rather than wide buttons.

export function RoomHeader(props: {
  /** The room's name (or the other person's), its names in <bdi>. */
  title: ComponentChildren;
  room: RoomDetail | null;
  peer: Member | undefined;
  peerOnline: boolean;
  connection: ConnectionState;
  panel: HeaderPanel | null;
  onTogglePanel: (panel: HeaderPanel) => void;
  notify: NotifyLevel;
  onNotify: (level: NotifyLevel) => void;
  /** What else the room offers here (the call buttons). */
  actions?: ComponentChildren;
  /** Owners and admins of a room (never a direct one) open its settings here. */
  onOpenSettings?: () => void;
}) {
  const { room, peer } = props;
  const direct = room?.kind === "direct";
  return (
    <header class="room-header">
      <button type="button" class="icon-button back" aria-label="Back to rooms" onClick={() => navigate("/")}>
        ←
      </button>
      <div class="room-title">
        <h1>{props.title}</h1>
        {direct && peer ? (
          <p class="muted">{props.peerOnline ? "online" : "offline"}</p>
        ) : (
          room?.topic && (
            <p class="muted">
              <bdi>{room.topic}</bdi>
            </p>
          )
        )}
      </div>
      {props.connection !== "live" && (
        <span class={`connection ${props.connection}`} role="status">
          <span class="dot" aria-hidden="true" /> {CONNECTION_LABELS[props.connection]}
        </span>
      )}
      {props.actions}
      {room && (
        <ActionMenu
          label={`Notifications: ${LEVELS.find((each) => each.level === props.notify)?.short ?? ""}`}
          class={props.notify === "all" ? "panel-button" : "panel-button quiet"}
          align="end"
          actions={LEVELS.map(({ level, label }) => ({
            label,
            checked: props.notify === level,
            run: () => props.onNotify(level),
          }))}
        >
          <BellIcon muted={props.notify === "none"} />
          {props.notify === "mentions" && <span aria-hidden="true">@</span>}
        </ActionMenu>
      )}
      {room && (
        <button
          type="button"
          class="panel-button"
          aria-label="Pinned messages"
          aria-expanded={props.panel === "pins"}
          onClick={() => props.onTogglePanel("pins")}
        >
          <PinIcon />
        </button>
      )}
      {direct && peer && (
        <button
          type="button"
          class="panel-button profile"
          aria-label={`Profile of ${peer.displayName}`}
          aria-expanded={props.panel === "people"}
          onClick={() => props.onTogglePanel("people")}
        >
          <Avatar name={peer.displayName} id={peer.userId} online={props.peerOnline} url={peer.avatarUrl} />
        </button>
      )}
      {room && !direct && (
        <button
          type="button"
          class="panel-button"
          aria-label={`Members (${room.members.length})`}
          aria-expanded={props.panel === "people"}
          onClick={() => props.onTogglePanel("people")}
        >
          <PeopleIcon />
          <span aria-hidden="true">{room.members.length}</span>
        </button>
      )}
      {props.onOpenSettings && (
        <button type="button" class="panel-button" aria-label="Room settings" onClick={props.onOpenSettings}>
          <SettingsIcon />
        </button>
      )}
    </header>
  );
}

function PeopleIcon() {
  return (
    <Icon size={18}>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6" />
      <path d="M16 4.6a3.5 3.5 0 0 1 0 6.8" />
      <path d="M18 14.3c2.1.7 3.5 2.8 3.5 5.7" />
    </Icon>
  );
}

function BellIcon({ muted }: { muted: boolean }) {
  return (
    <Icon size={18}>
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      {muted && <path d="M3 3l18 18" />}
    </Icon>
  );
}

function PinIcon() {
  return (
    <Icon size={18}>
      <path d="M12 17v5" />
      <path d="M9 10.8V4h6v6.8l3 3.2v3H6v-3z" />
    </Icon>
  );
}

function SettingsIcon() {
  return (
    <Icon size={18}>
      <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12" />
      <circle cx="16" cy="6" r="2" />
      <circle cx="10" cy="12" r="2" />
      <circle cx="18" cy="18" r="2" />
    </Icon>
  );
}
