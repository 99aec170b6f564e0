// The limits and codes of the wire protocol, without a validation library, so the web client can
// import them without pulling zod into its bundle (the schemas in ./messages.ts are built on them).

export const MAX_MESSAGE_CHARS = 4000;
export const MAX_FRAME_BYTES = 16 * 1024;
export const MAX_CLIENT_ID_CHARS = 64;
/** At most this many files in one message. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/** A typing indicator stops by itself this long after the last `typing: true`. */
export const TYPING_TIMEOUT_MS = 5000;

/** Close codes a room or user channel uses when it ends a socket on purpose. */
export const CloseCode = {
  /**
   * The sign-in session ended (logout, password change, a reused refresh token, account deletion)
   * or the access token that opened the socket expired: reconnect with a fresh token (and since=).
   */
  sessionEnded: 4001,
  /** The member was removed from the room (or left it from another device). */
  removedFromRoom: 4003,
  /** The room was deleted by its owner. */
  roomDeleted: 4004,
} as const;

/** Length in characters as people count them (code points), not UTF-16 units. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** The rule a too-long body breaks; a room answers it with `payload_too_large` rather than `invalid_request`. */
export const BODY_TOO_LONG = `must be at most ${MAX_MESSAGE_CHARS} characters`;

/** A message carries at most this many distinct emoji in its reactions. */
export const MAX_REACTION_EMOJI = 20;

const pictographic = /\p{Extended_Pictographic}/u;
const flag = /^\p{Regional_Indicator}{2}$/u;
const keycap = /^[0-9#*]\uFE0F?\u20E3$/u;

/** One emoji, as people see one: a single grapheme that is a pictograph, a flag or a keycap. */
export function isSingleEmoji(value: string): boolean {
  if (value.length === 0 || value.length > 32) return false;
  const graphemes = [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(value)];
  if (graphemes.length !== 1) return false;
  return pictographic.test(value) || flag.test(value) || keycap.test(value);
}

/** At most this many connections in one call, unless the MAX_CALL_PARTICIPANTS setting says otherwise. */
export const DEFAULT_MAX_CALL_PARTICIPANTS = 6;
/** How long a direct call rings before it counts as missed. */
export const CALL_RING_MS = 30_000;
