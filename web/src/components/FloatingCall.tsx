import { useCalls } from "../call/calls";
import { navigate } from "../router";
import { CallControls } from "./CallControls";
import { CallTile } from "./CallTile";
import { nameIn } from "./CallView";
import "../call/call.css";

// The call while another room (or the room list) is open: a small card in a corner with whoever
// speaks (else the first person in), so the call goes on, and a way back to it.

export function FloatingCall({ openRoomId }: { openRoomId: string | null }) {
  const { active, session } = useCalls();
  if (!active || !session || active.roomId === openRoomId) return null;
  const shown = active.others.find((tile) => tile.speaking) ?? active.others[0] ?? active.me;
  const where =
    active.room?.kind === "direct" ? nameIn(active, shown.userId) : `# ${active.room?.name ?? "room"}`;
  return (
    <aside class="floating-call" aria-label="Your call">
      <CallTile tile={shown} name={nameIn(active, shown.userId)} />
      <div class="floating-call-bar">
        <button
          type="button"
          class="link-button"
          onClick={() => navigate(`/rooms/${encodeURIComponent(active.roomId)}`)}
        >
          {active.status === "ended" ? (active.ended ?? "The call ended.") : `Back to the call with ${where}`}
        </button>
        {active.status !== "ended" && <CallControls view={active} session={session} compact />}
      </div>
    </aside>
  );
}

/** Everyone's sound, whatever is on screen: one audio element per other person in the call. */
export function CallAudio() {
  const { active } = useCalls();
  if (!active) return null;
  return (
    <div hidden>
      {active.others.map((tile) => tile.stream && <Sound key={tile.userId} stream={tile.stream} />)}
    </div>
  );
}

function Sound({ stream }: { stream: MediaStream }) {
  return (
    // biome-ignore lint/a11y/useMediaCaption: a live call's sound has no captions to give
    <audio
      autoplay
      ref={(audio) => {
        if (audio && audio.srcObject !== stream) audio.srcObject = stream;
      }}
    />
  );
}
