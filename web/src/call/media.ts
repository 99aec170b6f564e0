import { mediaProblem } from "../state/call";

// Our own camera, microphone and screen. The camera asks for a modest picture on purpose: in a
// mesh every picture is sent once per other participant (see README "Calls"), so 640×360 at
// 24 fps is what six people's upload can carry.

const CAMERA: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 24, max: 30 },
};

export type Devices = { microphoneId?: string; cameraId?: string };

export type StartedMedia = {
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  /** What went wrong, in words, or null. */
  problem: string | null;
};

function constraints(kind: "audio" | "video", deviceId: string | undefined): MediaTrackConstraints | boolean {
  const base = kind === "video" ? CAMERA : { echoCancellation: true, noiseSuppression: true };
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

async function open(kind: "audio" | "video", deviceId?: string): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ [kind]: constraints(kind, deviceId) });
  const track = stream.getTracks()[0];
  if (!track) throw new DOMException("No track", "NotFoundError");
  return track;
}

export const openMicrophone = (deviceId?: string) => open("audio", deviceId);
export const openCamera = (deviceId?: string) => open("video", deviceId);

/**
 * The microphone, and the camera if wanted. Without a camera we go on with sound only; without
 * permission we go on with nothing (the others can still be seen and heard), saying why.
 */
export async function startMedia(video: boolean, devices: Devices = {}): Promise<StartedMedia> {
  if (!navigator.mediaDevices?.getUserMedia)
    return {
      microphone: null,
      camera: null,
      problem: "This browser cannot use a camera or microphone here.",
    };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: constraints("audio", devices.microphoneId),
      video: video ? constraints("video", devices.cameraId) : false,
    });
    return {
      microphone: stream.getAudioTracks()[0] ?? null,
      camera: stream.getVideoTracks()[0] ?? null,
      problem: null,
    };
  } catch (error) {
    const missing = error instanceof DOMException && error.name === "NotFoundError";
    if (video && missing) {
      const audioOnly = await startMedia(false, devices);
      const problem = audioOnly.problem ?? "No camera was found, so you are in the call with sound only.";
      return { ...audioOnly, problem };
    }
    return { microphone: null, camera: null, problem: mediaProblem(error, { audio: true, video }) };
  }
}

/** A screen, window or tab the user picks; null if they cancel the browser's picker. */
export async function openScreen(): Promise<MediaStreamTrack | null> {
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({
      video: { frameRate: { ideal: 15 } },
      audio: false,
    });
    return stream.getVideoTracks()[0] ?? null;
  } catch (error) {
    if (error instanceof DOMException && error.name === "NotAllowedError") return null; // cancelled
    throw error;
  }
}

export type DeviceList = { microphones: MediaDeviceInfo[]; cameras: MediaDeviceInfo[] };

/** The microphones and cameras this browser offers (their names once permission was given). */
export async function listDevices(): Promise<DeviceList> {
  const all = (await navigator.mediaDevices?.enumerateDevices()) ?? [];
  return {
    microphones: all.filter((device) => device.kind === "audioinput"),
    cameras: all.filter((device) => device.kind === "videoinput"),
  };
}
