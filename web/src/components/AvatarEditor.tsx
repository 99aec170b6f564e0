import { useEffect, useRef, useState } from "preact/hooks";
import { answer } from "../api/answers";
import { api } from "../api/client";
import { type Session, updateUser } from "../api/session";
import { Avatar } from "./Avatar";

// Choosing your avatar: pick a picture, choose the square of it (zoom and position, by slider so
// keyboards can do it too), and the square is what is uploaded. The picture never leaves the page
// as a URL: it is decoded into a bitmap and drawn on a canvas (the page's CSP allows no blob: images).

const PREVIEW = 160;
const OUTPUT = 512;

type Crop = { zoom: number; x: number; y: number };

function square(bitmap: ImageBitmap, crop: Crop) {
  const side = Math.min(bitmap.width, bitmap.height) / crop.zoom;
  const sx = Math.min(Math.max(0, crop.x * bitmap.width - side / 2), bitmap.width - side);
  const sy = Math.min(Math.max(0, crop.y * bitmap.height - side / 2), bitmap.height - side);
  return { sx, sy, side };
}

function draw(canvas: HTMLCanvasElement, bitmap: ImageBitmap, crop: Crop, size: number): void {
  const { sx, sy, side } = square(bitmap, crop);
  canvas.width = size;
  canvas.height = size;
  canvas.getContext("2d")?.drawImage(bitmap, sx, sy, side, side, 0, 0, size, size);
}

function toBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("Could not draw the picture."))),
      "image/png",
    ),
  );
}

function Slider(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
}) {
  return (
    <label class="slider">
      {props.label}
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={0.01}
        value={props.value}
        onInput={(event) => props.onChange(Number(event.currentTarget.value))}
      />
    </label>
  );
}

export function AvatarEditor({ session }: { session: Session }) {
  const [bitmap, setBitmap] = useState<ImageBitmap | null>(null);
  const [crop, setCrop] = useState<Crop>({ zoom: 1, x: 0.5, y: 0.5 });
  const [status, setStatus] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const user = session.user;

  useEffect(() => {
    if (bitmap && canvas.current) draw(canvas.current, bitmap, crop, PREVIEW);
  }, [bitmap, crop]);

  async function choose(file: File | undefined) {
    if (!file) return;
    try {
      setBitmap(await createImageBitmap(file));
      setCrop({ zoom: 1, x: 0.5, y: 0.5 });
      setStatus(null);
    } catch {
      setStatus("That file is not a picture this browser can read.");
    }
  }

  async function save() {
    if (!bitmap) return;
    const output = document.createElement("canvas");
    draw(output, bitmap, crop, OUTPUT);
    try {
      const body = await toBlob(output);
      const init = { body, headers: { "content-type": "image/png" } };
      updateUser(await answer(api.users.me.avatar.$put({}, { init })));
      setBitmap(null);
      setStatus("Your avatar is saved.");
    } catch (failure) {
      setStatus(failure instanceof Error ? failure.message : String(failure));
    }
  }

  async function remove() {
    try {
      updateUser(await answer(api.users.me.avatar.$delete()));
      setStatus("Your avatar is removed; your initial shows instead.");
    } catch (failure) {
      setStatus(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <fieldset class="avatar-editor">
      <legend>Avatar</legend>
      {bitmap ? (
        <div class="avatar-crop">
          <canvas ref={canvas} width={PREVIEW} height={PREVIEW} role="img" aria-label="Your new avatar" />
          <div class="stack">
            <Slider
              label="Zoom"
              min={1}
              max={4}
              value={crop.zoom}
              onChange={(zoom) => setCrop({ ...crop, zoom })}
            />
            {bitmap.width > bitmap.height || crop.zoom > 1 ? (
              <Slider
                label="Left–right"
                min={0}
                max={1}
                value={crop.x}
                onChange={(x) => setCrop({ ...crop, x })}
              />
            ) : null}
            {bitmap.height > bitmap.width || crop.zoom > 1 ? (
              <Slider
                label="Up–down"
                min={0}
                max={1}
                value={crop.y}
                onChange={(y) => setCrop({ ...crop, y })}
              />
            ) : null}
            <div class="row">
              <button type="button" class="primary" onClick={save}>
                Save avatar
              </button>
              <button type="button" onClick={() => setBitmap(null)}>
                Cancel
              </button>
            </div>
          </div>
        </div>
      ) : (
        <div class="row">
          <span class="avatar-large">
            <Avatar name={user.displayName} id={user.id} url={user.avatarUrl} />
          </span>
          <label class="button">
            Choose a picture…
            <input
              type="file"
              accept="image/jpeg,image/png,image/gif,image/webp"
              class="visually-hidden"
              onChange={(event) => choose(event.currentTarget.files?.[0])}
            />
          </label>
          {user.avatarUrl && (
            <button type="button" onClick={remove}>
              Remove
            </button>
          )}
        </div>
      )}
      {status && (
        <p class="status" role="status">
          {status}
        </p>
      )}
    </fieldset>
  );
}
