import type { ComponentChildren } from "preact";
import type { Member, RoomDetail } from "../api/types";
import type { ConnectionState } from "../realtime/live-socket";
import { navigate } from "../router";
import { Avatar } from "./Avatar";
import { CONNECTION_LABELS } from "./Sidebar";

// The top of an open room: the way back (on phones), the room's name and topic (or, in a direct
// room, the other person and whether they are online), the socket's state when it is not live, and
// one compact button for the side panel: who is in a room, or the other person's profile in a
// direct one (where "Members (2)" would tell nothing), and for owners and admins one for the room's
// settings. The title gets the rest of the width, so a phone shows the room's name rather than a
// wide button.

export function RoomHeader(props: {
  /** The room's name (or the other person's), its names in <bdi>. */
  title: ComponentChildren;
  room: RoomDetail | null;
  peer: Member | undefined;
  peerOnline: boolean;
  connection: ConnectionState;
  panelShown: boolean;
  onTogglePanel: () => void;
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
      {direct && peer && (
        <button
          type="button"
          class="panel-button profile"
          aria-label={`Profile of ${peer.displayName}`}
          aria-expanded={props.panelShown}
          onClick={props.onTogglePanel}
        >
          <Avatar name={peer.displayName} id={peer.userId} online={props.peerOnline} />
        </button>
      )}
      {room && !direct && (
        <button
          type="button"
          class="panel-button"
          aria-label={`Members (${room.members.length})`}
          aria-expanded={props.panelShown}
          onClick={props.onTogglePanel}
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
    <svg
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6" />
      <path d="M16 4.6a3.5 3.5 0 0 1 0 6.8" />
      <path d="M18 14.3c2.1.7 3.5 2.8 3.5 5.7" />
    </svg>
  );
}

function SettingsIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12" />
      <circle cx="16" cy="6" r="2" />
      <circle cx="10" cy="12" r="2" />
      <circle cx="18" cy="18" r="2" />
    </svg>
  );
}
