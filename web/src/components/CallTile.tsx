import { useEffect, useRef } from "preact/hooks";
import type { Tile } from "../call/call-session";
import { Avatar } from "./Avatar";
import { CameraIcon, MicIcon, ScreenIcon } from "./CallIcons";

// One person in the call: their picture (or their initial while their camera is off), their name,
// whether they are muted, have no camera or share their screen, a ring while they speak, and in
// words how our connection to them is doing. Sound plays elsewhere (CallAudio), so every video
// here is muted and a tile can come and go without the sound stopping.

const LINK_WORDS = {
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  lost: "Connection lost",
} as const;

export function Video({ stream, mirrored }: { stream: MediaStream; mirrored?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (video && video.srcObject !== stream) video.srcObject = stream;
  }, [stream]);
  return <video ref={ref} class={mirrored ? "mirrored" : undefined} autoplay playsInline muted />;
}

export function CallTile({ tile, name }: { tile: Tile; name: string }) {
  const own = tile.link === "self";
  const picture =
    tile.stream !== null && (tile.video || tile.screen) && tile.stream.getVideoTracks().length > 0;
  const linkWords = tile.link === "self" || tile.link === "connected" ? null : LINK_WORDS[tile.link];
  const states = [
    !tile.audio && "muted",
    !tile.video && !tile.screen && "camera off",
    tile.screen && "sharing their screen",
    tile.speaking && "speaking",
    linkWords,
  ].filter(Boolean);
  return (
    <figure
      class={`call-tile${tile.speaking ? " speaking" : ""}${tile.screen ? " screen" : ""}`}
      aria-label={[own ? "You" : name, ...states].join(", ")}
      data-user-id={tile.userId}
    >
      {picture && tile.stream ? (
        <Video stream={tile.stream} mirrored={own && !tile.screen} />
      ) : (
        <div class="call-tile-face">
          <Avatar name={name} id={tile.userId} />
        </div>
      )}
      {linkWords && (
        <p class={`call-tile-link ${tile.link}`} role="status">
          {tile.link === "lost" ? `${linkWords}: ${name} cannot be reached right now.` : linkWords}
        </p>
      )}
      <figcaption>
        <bdi>{own ? `${name} (you)` : name}</bdi>
        {!tile.audio && (
          <span class="call-badge" aria-hidden="true" title="Muted">
            <MicIcon off size={14} />
          </span>
        )}
        {!tile.video && !tile.screen && (
          <span class="call-badge" aria-hidden="true" title="Camera off">
            <CameraIcon off size={14} />
          </span>
        )}
        {tile.screen && (
          <span class="call-badge" aria-hidden="true" title="Sharing their screen">
            <ScreenIcon size={14} />
          </span>
        )}
      </figcaption>
    </figure>
  );
}
