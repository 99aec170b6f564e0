// The media settings (wrangler.toml [vars]), read in one place with their defaults.

const MiB = 1024 * 1024;

function whole(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : fallback;
}

export type MediaSettings = {
  /** The largest file one upload may carry (413 past it). */
  maxUploadBytes: number;
  /** What one person may upload per UTC day, in bytes and in files (429 past either). */
  quotaBytesPerDay: number;
  quotaFilesPerDay: number;
  /** How long a signed attachment URL works. */
  urlTtlSeconds: number;
  /** `host` or `host:port` entries a link preview may fetch although they are not public addresses. */
  previewAllowHosts: string[];
  /** Whether previews may fetch public hosts at all (off: only previewAllowHosts). */
  previewPublic: boolean;
};

export function mediaSettings(env: Env): MediaSettings {
  return {
    maxUploadBytes: whole(env.MAX_UPLOAD_BYTES, 25 * MiB),
    quotaBytesPerDay: whole(env.UPLOAD_QUOTA_BYTES_PER_DAY, 500 * MiB),
    quotaFilesPerDay: whole(env.UPLOAD_QUOTA_FILES_PER_DAY, 500),
    urlTtlSeconds: whole(env.ATTACHMENT_URL_TTL_S, 3600),
    previewAllowHosts: (env.LINK_PREVIEW_ALLOW_HOSTS ?? "")
      .split(",")
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
    previewPublic: env.LINK_PREVIEWS_PUBLIC !== "false",
  };
}

/** An avatar is a small picture: its upload may be at most this large. */
export const MAX_AVATAR_BYTES = 5 * MiB;
/** Avatars are stored as squares of this many pixels. */
export const AVATAR_PIXELS = 256;
/** The long side of a thumbnail (API.md: at most 480 px). */
export const THUMBNAIL_PIXELS = 480;
/**
 * Thumbnails are made in the Worker's memory (128 MB per isolate), where a decoded image takes
 * 4 bytes a pixel: past these an image is still shown, from its original, with its size known.
 */
export const MAX_THUMBNAIL_SOURCE_BYTES = 15 * MiB;
export const MAX_THUMBNAIL_SOURCE_PIXELS = 16_000_000;
/** A file not sent in a message within this long is removed. */
export const UNSENT_ATTACHMENT_MS = 24 * 60 * 60 * 1000;
