import type { Member, RoomDetail } from "../api/types";
import type { ConnectionState } from "../realtime/live-socket";
import { navigate } from "../router";
import { CONNECTION_LABELS } from "./Sidebar";

// The top of an open room: the way back (on phones), the room's name and topic (or, in a direct
// room, the other person and whether they are online), the socket's state when it is not live, and
// the button that shows who is in the room.

export function RoomHeader(props: {
  title: string;
  room: RoomDetail | null;
  peer: Member | undefined;
  peerOnline: boolean;
  connection: ConnectionState;
  membersShown: boolean;
  onToggleMembers: () => void;
}) {
  const { room, peer } = props;
  return (
    <header class="room-header">
      <button type="button" class="icon-button back" aria-label="Back to rooms" onClick={() => navigate("/")}>
        ←
      </button>
      <div class="room-title">
        <h1>{props.title}</h1>
        {room?.kind === "direct" && peer ? (
          <p class="muted">{props.peerOnline ? "online" : "offline"}</p>
        ) : (
          room?.topic && <p class="muted">{room.topic}</p>
        )}
      </div>
      {props.connection !== "live" && (
        <span class={`connection ${props.connection}`} role="status">
          <span class="dot" aria-hidden="true" /> {CONNECTION_LABELS[props.connection]}
        </span>
      )}
      <button
        type="button"
        class="members-button"
        aria-expanded={props.membersShown}
        onClick={props.onToggleMembers}
      >
        Members{room ? ` (${room.members.length})` : ""}
      </button>
    </header>
  );
}
