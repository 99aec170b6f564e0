import { useState } from "preact/hooks";
import type { CallSession, CallView } from "../call/call-session";
import { CallDevices } from "./CallDevices";
import { CameraIcon, HangUpIcon, MicIcon, ScreenIcon, SettingsIcon } from "./CallIcons";
import { showError } from "./Toasts";

// The call's controls, in one toolbar that the Tab key walks through: mute, camera, screen, which
// devices, and leaving. Each toggle says whether it is on (aria-pressed) as well as showing it.

const canShareScreen = () => typeof navigator.mediaDevices?.getDisplayMedia === "function";

export function CallControls({
  view,
  session,
  compact,
}: {
  view: CallView;
  session: CallSession;
  compact?: boolean;
}) {
  const [choosing, setChoosing] = useState(false);
  const act = (what: string, run: () => Promise<void>) => () =>
    run().catch((error: unknown) => showError(`Could not ${what}`, error));
  const { me } = view;
  return (
    <div class="call-controls" role="toolbar" aria-label="Call controls">
      <button
        type="button"
        class={`call-control${me.audio ? "" : " off"}`}
        aria-pressed={!me.audio}
        aria-label="Mute"
        title={me.audio ? "Mute your microphone" : "Unmute your microphone"}
        onClick={act("change the microphone", () => session.toggleMicrophone())}
      >
        <MicIcon off={!me.audio} />
      </button>
      <button
        type="button"
        class={`call-control${me.video ? "" : " off"}`}
        aria-pressed={!me.video}
        aria-label="Turn camera off"
        title={me.video ? "Turn your camera off" : "Turn your camera on"}
        onClick={act("change the camera", () => session.toggleCamera())}
      >
        <CameraIcon off={!me.video} />
      </button>
      {!compact && canShareScreen() && (
        <button
          type="button"
          class={`call-control${me.screen ? " on" : ""}`}
          aria-pressed={me.screen}
          aria-label="Share screen"
          title={me.screen ? "Stop sharing your screen" : "Share your screen"}
          onClick={act("share the screen", () => session.toggleScreen())}
        >
          <ScreenIcon />
        </button>
      )}
      {!compact && (
        <button
          type="button"
          class="call-control"
          aria-label="Choose microphone and camera"
          aria-haspopup="dialog"
          title="Choose microphone and camera"
          onClick={() => setChoosing(true)}
        >
          <SettingsIcon />
        </button>
      )}
      <button
        type="button"
        class="call-control hang-up"
        aria-label="Leave call"
        title="Leave the call"
        onClick={() => session.hangUp()}
      >
        <HangUpIcon />
      </button>
      {choosing && <CallDevices session={session} onClose={() => setChoosing(false)} />}
    </div>
  );
}
