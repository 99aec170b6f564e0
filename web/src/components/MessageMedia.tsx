import { useEffect, useRef } from "preact/hooks";
import type { Attachment } from "../api/types";
import { formatSize } from "../state/uploads";

// A message's files: its images in a grid (each keeps its space from the width and height the
// server measured, so nothing jumps when they load; a click opens the viewer), audio and video
// with the browser's own controls, and every other file as a card to download.

const SINGLE_BOX = 360;

const isPicture = (file: Attachment) =>
  /^image\/(jpeg|png|gif|webp)$/.test(file.contentType) && file.width !== null && file.height !== null;
const isPlayable = (file: Attachment) => /^(audio|video)\//.test(file.contentType);

/** A single image's size on screen: its own, scaled down to fit the box. */
export function displaySize(
  width: number,
  height: number,
  box = SINGLE_BOX,
): { width: number; height: number } {
  const scale = Math.min(1, box / width, box / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function extension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 && dot > name.length - 6 ? name.slice(dot + 1).toUpperCase() : "FILE";
}

function ImageGrid({ images, onOpen }: { images: Attachment[]; onOpen: (index: number) => void }) {
  const single = images.length === 1;
  return (
    <div class={single ? "media-grid single" : "media-grid"}>
      {images.map((image, index) => {
        const size = single
          ? displaySize(image.width ?? SINGLE_BOX, image.height ?? SINGLE_BOX)
          : { width: 160, height: 160 };
        return (
          <button
            key={image.id}
            type="button"
            class="media-tile"
            style={{ width: `${size.width}px`, height: `${size.height}px` }}
            aria-label={`Open ${image.name}`}
            onClick={() => onOpen(index)}
          >
            <img
              src={image.thumbnailUrl ?? image.url}
              alt={image.name}
              width={size.width}
              height={size.height}
              loading="lazy"
              decoding="async"
            />
          </button>
        );
      })}
    </div>
  );
}

function FileCard({ file }: { file: Attachment }) {
  return (
    <a
      class="file-card"
      href={file.url}
      download={file.name}
      aria-label={`Download ${file.name}, ${formatSize(file.size)}`}
    >
      <span class="file-icon" aria-hidden="true">
        {extension(file.name)}
      </span>
      <span class="file-text">
        <span class="file-name">{file.name}</span>
        <span class="file-size">{formatSize(file.size)}</span>
      </span>
      <span class="file-download" aria-hidden="true">
        ⤓
      </span>
    </a>
  );
}

function Player({ file }: { file: Attachment }) {
  const video = file.contentType.startsWith("video/");
  return (
    <figure class="player">
      {/* A member's own recording comes with no captions file to offer; the caption below names it. */}
      {video ? (
        // biome-ignore lint/a11y/useMediaCaption: an uploaded file has no captions track to point at
        <video controls preload="metadata" src={file.url} aria-label={file.name} />
      ) : (
        // biome-ignore lint/a11y/useMediaCaption: an uploaded file has no captions track to point at
        <audio controls preload="metadata" src={file.url} aria-label={file.name} />
      )}
      <figcaption>
        <a href={file.url} download={file.name}>
          {file.name}
        </a>{" "}
        · {formatSize(file.size)}
      </figcaption>
    </figure>
  );
}

export function MessageMedia(props: {
  attachments: Attachment[];
  onOpenImage: (images: Attachment[], index: number) => void;
}) {
  if (props.attachments.length === 0) return null;
  const images = props.attachments.filter(isPicture);
  const players = props.attachments.filter(isPlayable);
  const files = props.attachments.filter((file) => !isPicture(file) && !isPlayable(file));
  return (
    <div class="message-media">
      {images.length > 0 && (
        <ImageGrid images={images} onOpen={(index) => props.onOpenImage(images, index)} />
      )}
      {players.map((file) => (
        <Player key={file.id} file={file} />
      ))}
      {files.map((file) => (
        <FileCard key={file.id} file={file} />
      ))}
    </div>
  );
}

/** The full-size viewer: ← and → between a message's images, Escape (or ✕) to close. */
export function ImageViewer(props: {
  images: Attachment[];
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const image = props.images[props.index];
  useEffect(() => {
    const opener = document.activeElement;
    if (ref.current && !ref.current.open) ref.current.showModal();
    return () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  if (!image) return null;
  const count = props.images.length;
  const go = (step: number) => props.onIndex((props.index + step + count) % count);
  return (
    <dialog
      ref={ref}
      class="image-viewer"
      aria-label={`${image.name} (${props.index + 1} of ${count})`}
      onClose={props.onClose}
      onKeyDown={(event) => {
        if (event.key === "ArrowRight") go(1);
        else if (event.key === "ArrowLeft") go(-1);
      }}
      onClick={(event) => {
        if (event.target === ref.current) props.onClose(); // a click beside the picture
      }}
    >
      <figure>
        <img
          src={image.url}
          alt={image.name}
          width={image.width ?? undefined}
          height={image.height ?? undefined}
        />
        <figcaption>
          <span>{image.name}</span>
          {count > 1 && (
            <span class="muted">
              {" "}
              · {props.index + 1} of {count}
            </span>
          )}{" "}
          ·{" "}
          <a href={image.url} download={image.name}>
            Download
          </a>
        </figcaption>
      </figure>
      {count > 1 && (
        <>
          <button
            type="button"
            class="viewer-nav previous"
            aria-label="Previous image"
            onClick={() => go(-1)}
          >
            ‹
          </button>
          <button type="button" class="viewer-nav next" aria-label="Next image" onClick={() => go(1)}>
            ›
          </button>
        </>
      )}
      <button type="button" class="viewer-close icon-button" aria-label="Close" onClick={props.onClose}>
        ✕
      </button>
    </dialog>
  );
}
