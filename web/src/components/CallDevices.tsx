import { useEffect, useState } from "preact/hooks";
import type { CallSession } from "../call/call-session";
import { type DeviceList, listDevices } from "../call/media";
import { Dialog } from "./Dialog";

// Which microphone and camera the call uses. Device names are only known once the browser was
// allowed to use one; before that they read "Microphone 1", "Camera 1".

export function CallDevices({ session, onClose }: { session: CallSession; onClose: () => void }) {
  const [devices, setDevices] = useState<DeviceList | null>(null);
  const [chosen, setChosen] = useState(session.currentDevices());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listDevices()
      .then(setDevices)
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, []);
  const options = (list: MediaDeviceInfo[], kind: string) =>
    list.map((device, index) => (
      <option key={device.deviceId} value={device.deviceId}>
        {device.label || `${kind} ${index + 1}`}
      </option>
    ));
  return (
    <Dialog title="Microphone and camera" onClose={onClose}>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          onClose();
          void session.useDevices(chosen);
        }}
      >
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <label for="call-microphone">Microphone</label>
        <select
          id="call-microphone"
          value={chosen.microphoneId}
          onChange={(event) => setChosen({ ...chosen, microphoneId: event.currentTarget.value })}
        >
          {options(devices?.microphones ?? [], "Microphone")}
        </select>
        <label for="call-camera">Camera</label>
        <select
          id="call-camera"
          value={chosen.cameraId}
          onChange={(event) => setChosen({ ...chosen, cameraId: event.currentTarget.value })}
        >
          {options(devices?.cameras ?? [], "Camera")}
        </select>
        <div class="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" data-initial-focus>
            Use these
          </button>
        </div>
      </form>
    </Dialog>
  );
}
