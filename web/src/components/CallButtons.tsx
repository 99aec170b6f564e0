import type { CallParticipant } from "../api/types";
import { ActionMenu } from "./ActionMenu";
import { CameraIcon, PhoneIcon } from "./CallIcons";

// In a room's header: start a call (with sound only, or with video), or join the one going on.
// Nothing while we are in this room's call: the call itself is on the screen. A wide screen shows
// the two start buttons; a phone, whose header must keep the room's name whole, one "Start a call"
// menu with both (call.css shows one or the other, and what is not shown is not in the
// accessibility tree either).

export function CallButtons(props: {
  participants: CallParticipant[];
  inThisCall: boolean;
  onCall: (video: boolean) => void;
}) {
  if (props.inThisCall) return null;
  const count = props.participants.length;
  if (count > 0)
    return (
      <button type="button" class="join-call" onClick={() => props.onCall(true)}>
        <PhoneIcon size={16} /> Join call <span class="muted">({count})</span>
      </button>
    );
  return (
    <div class="call-buttons">
      <button
        type="button"
        class="icon-button voice"
        aria-label="Start a voice call"
        title="Voice call"
        onClick={() => props.onCall(false)}
      >
        <PhoneIcon />
      </button>
      <button
        type="button"
        class="icon-button"
        aria-label="Start a video call"
        title="Video call"
        onClick={() => props.onCall(true)}
      >
        <CameraIcon />
      </button>
      <ActionMenu
        label="Start a call"
        class="icon-button call-menu"
        align="end"
        actions={[
          { label: "Voice call", run: () => props.onCall(false) },
          { label: "Video call", run: () => props.onCall(true) },
        ]}
      >
        <PhoneIcon />
      </ActionMenu>
    </div>
  );
}
