import type { ImageType } from "./content-types";

// Location metadata never reaches other members: an image's metadata is scrubbed on its way to
// R2, as it streams, without decoding it and without changing its length (R2 is given the
// declared Content-Length up front, so the upload is never held whole in memory).
//
// - JPEG: an APP1 Exif segment is replaced by a minimal Exif that keeps only the Orientation (so
//   phone photos still stand the right way up), padded with zeros; every other metadata segment
//   (XMP, IPTC/Photoshop, APP3–APP13, APP15) has its payload zeroed. JFIF (APP0), the colour
//   profile (APP2) and Adobe's colour transform (APP14) stay: they hold no location.
// - PNG: eXIf and text chunks (tEXt, iTXt, zTXt: where XMP lives) become a private chunk of zeros
//   (`huBb`, with its CRC), which decoders skip.
// - WebP: EXIF and XMP chunks become an unknown chunk of zeros (decoders skip unknown chunks), and
//   VP8X stops announcing them.
// - GIF carries no Exif; it passes through.
// On the way, the image's width and height are read from its header (and the Exif orientation),
// so the client can reserve the image's space before it loads.

export type ImageFacts = {
  /** As displayed, after the Exif orientation (a portrait phone photo is taller than wide). */
  width: number | null;
  height: number | null;
  /** The Exif orientation, 1 (as stored) to 8. */
  orientation: number;
};

/** What a format parser does with the bytes at the front of the buffer. */
type Action = { need: number } | { pass: number } | { replace: number; with: Uint8Array } | { rest: true };

interface Parser {
  next(buffer: Uint8Array, facts: ImageFacts): Action;
  /** Bytes of a scrubbed chunk still to be written as zeros (the engine writes them before asking again). */
  pendingZeros: number;
  /** Told of every run of zeros written (PNG counts them into the chunk's new CRC). */
  zeros?(count: number): void;
}

const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));
const u16be = (b: Uint8Array, at: number) => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
const u32be = (b: Uint8Array, at: number) => ((u16be(b, at) << 16) >>> 0) + u16be(b, at + 2);
const u16le = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, at: number) => u16le(b, at) | ((b[at + 2] ?? 0) << 16);
const u32le = (b: Uint8Array, at: number) => (u24le(b, at) + (b[at + 3] ?? 0) * 0x1000000) >>> 0;

// ── JPEG ──────────────────────────────────────────────────────────────────────────────────────────

const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"

/** The Orientation tag (0x0112) of IFD0 in an Exif payload, or 1. */
export function exifOrientation(exif: Uint8Array): number {
  const tiff = exif.subarray(6);
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  if (!little && !(tiff[0] === 0x4d && tiff[1] === 0x4d)) return 1;
  const u16 = (at: number) => (little ? u16le(tiff, at) : u16be(tiff, at));
  const u32 = (at: number) => (little ? u32le(tiff, at) : u32be(tiff, at));
  const ifd = u32(4);
  const count = u16(ifd);
  for (let i = 0; i < count && ifd + 2 + i * 12 + 12 <= tiff.length; i++) {
    const entry = ifd + 2 + i * 12;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/** An Exif payload holding only an Orientation, zero-padded to `length` bytes. */
function minimalExif(orientation: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const tiff = [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]; // big-endian TIFF, IFD0 at offset 8
  const entry = [0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const minimal = [...EXIF_HEADER, ...tiff, ...entry];
  if (minimal.length <= length) out.set(minimal);
  return out;
}

const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
/** APP1 (Exif, XMP), APP3–APP13 (IPTC and vendors' metadata), APP15. Not APP0, APP2 or APP14. */
const isMetadata = (marker: number) =>
  marker === 0xe1 || (marker >= 0xe3 && marker <= 0xed) || marker === 0xef;

class JpegParser implements Parser {
  private started = false;
  pendingZeros = 0;

  next(b: Uint8Array, facts: ImageFacts): Action {
    if (!this.started) {
      this.started = true;
      return { pass: 2 }; // SOI
    }
    if (b.length < 2) return { need: 2 };
    if (b[0] !== 0xff) return { rest: true };
    const marker = b[1] ?? 0;
    if (marker === 0xff) return { pass: 1 }; // fill byte
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) return { pass: 2 };
    // Start of scan (or the end): what follows is the picture itself.
    if (marker === 0xda || marker === 0xd9) return { rest: true };
    if (b.length < 4) return { need: 4 };
    const total = 2 + u16be(b, 2);
    if (total < 4) return { rest: true };
    if (isStartOfFrame(marker)) {
      if (b.length < 9) return { need: 9 };
      const swap = facts.orientation >= 5;
      const [height, width] = [u16be(b, 5), u16be(b, 7)];
      facts.width = (swap ? height : width) || null;
      facts.height = (swap ? width : height) || null;
      return { pass: total };
    }
    if (!isMetadata(marker)) return { pass: total };
    if (b.length < total) return { need: total };
    const segment = b.slice(0, total);
    const payload = segment.subarray(4);
    const isExif = marker === 0xe1 && EXIF_HEADER.every((byte, i) => payload[i] === byte);
    if (isExif) {
      facts.orientation = exifOrientation(payload);
      payload.set(minimalExif(facts.orientation, payload.length));
    } else payload.fill(0);
    return { replace: total, with: segment };
  }
}

// ── PNG ───────────────────────────────────────────────────────────────────────────────────────────

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crcUpdate(crc: number, byte: number): number {
  return ((CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)) >>> 0;
}

const SCRUBBED_PNG_CHUNK = [0x68, 0x75, 0x42, 0x62]; // "huBb": ancillary, private, safe to copy
const PNG_METADATA = new Set(["eXIf", "tEXt", "iTXt", "zTXt"]);

class PngParser implements Parser {
  private started = false;
  /** While a scrubbed chunk's zeros are written: its CRC so far; then its trailer replaces the old CRC. */
  private crc: number | null = null;

  next(b: Uint8Array, facts: ImageFacts): Action {
    if (!this.started) {
      this.started = true;
      return { pass: 8 };
    }
    if (this.crc !== null) {
      if (b.length < 4) return { need: 4 };
      const final = (this.crc ^ 0xffffffff) >>> 0;
      this.crc = null;
      return {
        replace: 4,
        with: new Uint8Array([final >>> 24, (final >>> 16) & 255, (final >>> 8) & 255, final & 255]),
      };
    }
    if (b.length < 8) return { need: 8 };
    const length = u32be(b, 0);
    const type = ascii(b, 4, 8);
    if (type === "IHDR") {
      if (b.length < 16) return { need: 16 };
      facts.width = u32be(b, 8) || null;
      facts.height = u32be(b, 12) || null;
    }
    if (type === "IEND") return { rest: true };
    if (!PNG_METADATA.has(type)) return { pass: 12 + length };
    let crc = 0xffffffff;
    for (const byte of SCRUBBED_PNG_CHUNK) crc = crcUpdate(crc, byte);
    this.crc = crc;
    const header = b.slice(0, 8);
    header.set(SCRUBBED_PNG_CHUNK, 4);
    // The chunk's data follows as zeros, each one counted into the new CRC.
    this.pendingZeros = length;
    return { replace: 8, with: header };
  }

  pendingZeros = 0;

  zeros(count: number): void {
    let crc = this.crc ?? 0xffffffff;
    for (let i = 0; i < count; i++) crc = crcUpdate(crc, 0);
    this.crc = crc;
  }
}

// ── WebP ──────────────────────────────────────────────────────────────────────────────────────────

const SCRUBBED_RIFF_CHUNK = [0x48, 0x42, 0x42, 0x58]; // "HBBX": a chunk decoders do not know, so skip

class WebpParser implements Parser {
  private started = false;

  next(b: Uint8Array, facts: ImageFacts): Action {
    if (!this.started) {
      this.started = true;
      return { pass: 12 }; // RIFF, size, WEBP
    }
    if (b.length < 8) return { need: 8 };
    const type = ascii(b, 0, 4);
    const size = u32le(b, 4);
    const padded = size + (size & 1);
    if (type === "VP8X") {
      if (b.length < 18) return { need: 18 };
      facts.width = 1 + u24le(b, 12);
      facts.height = 1 + u24le(b, 15);
      const chunk = b.slice(0, 8 + Math.min(padded, 10));
      chunk[8] = (chunk[8] ?? 0) & ~(0x08 | 0x04); // no Exif, no XMP
      return { replace: chunk.length, with: chunk };
    }
    if (type === "VP8 " && facts.width === null) {
      if (b.length < 18) return { need: 18 };
      facts.width = u16le(b, 14) & 0x3fff || null;
      facts.height = u16le(b, 16) & 0x3fff || null;
    }
    if (type === "VP8L" && facts.width === null) {
      if (b.length < 13) return { need: 13 };
      const bits = u32le(b, 9);
      facts.width = (bits & 0x3fff) + 1;
      facts.height = ((bits >>> 14) & 0x3fff) + 1;
    }
    if (type !== "EXIF" && type !== "XMP ") return { pass: 8 + padded };
    const header = b.slice(0, 8);
    header.set(SCRUBBED_RIFF_CHUNK, 0);
    this.pendingZeros = padded;
    return { replace: 8, with: header };
  }

  pendingZeros = 0;
}

// ── GIF ───────────────────────────────────────────────────────────────────────────────────────────

class GifParser implements Parser {
  pendingZeros = 0;

  next(b: Uint8Array, facts: ImageFacts): Action {
    if (b.length < 10) return { need: 10 };
    facts.width = u16le(b, 6) || null;
    facts.height = u16le(b, 8) || null;
    return { rest: true };
  }
}

// ── The engine: runs a parser over a stream, byte for byte the same length ───────────────────────

function parserFor(type: ImageType): Parser {
  switch (type) {
    case "image/jpeg":
      return new JpegParser();
    case "image/png":
      return new PngParser();
    case "image/webp":
      return new WebpParser();
    case "image/gif":
      return new GifParser();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A TransformStream that scrubs an image's metadata and learns its facts (read them after the end). */
export class ImageScrubber {
  readonly facts: ImageFacts = { width: null, height: null, orientation: 1 };
  private readonly parser: Parser;
  private buffer: Uint8Array = new Uint8Array(0);
  private passing = 0;
  private rest = false;

  constructor(type: ImageType) {
    this.parser = parserFor(type);
  }

  stream(): TransformStream<Uint8Array, Uint8Array> {
    return new TransformStream({
      transform: (chunk, controller) => {
        for (const piece of this.push(chunk)) controller.enqueue(piece);
      },
      // A truncated image ends where it ends: what is left is passed on as it came.
      flush: (controller) => {
        if (this.buffer.length > 0) controller.enqueue(this.buffer);
        this.buffer = new Uint8Array(0);
      },
    });
  }

  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    this.buffer = concat(this.buffer, chunk);
    while (this.buffer.length > 0) {
      if (this.rest) {
        out.push(this.buffer);
        this.buffer = new Uint8Array(0);
        break;
      }
      if (this.passing > 0 || this.parser.pendingZeros > 0) {
        this.runOn(out);
        continue;
      }
      const action = this.parser.next(this.buffer, this.facts);
      if ("need" in action) {
        if (this.buffer.length < action.need) break;
        this.rest = true; // a parser that asks for what it has is confused: stop parsing, pass on
      } else if ("rest" in action) this.rest = true;
      else if ("pass" in action) this.passing = action.pass;
      else if ("replace" in action) {
        out.push(action.with);
        this.buffer = this.buffer.subarray(action.replace);
      }
    }
    return out;
  }

  /** Passes or zeroes as much of the current run as the buffer holds. */
  private runOn(out: Uint8Array[]): void {
    if (this.passing > 0) {
      const count = Math.min(this.passing, this.buffer.length);
      out.push(this.buffer.subarray(0, count));
      this.buffer = this.buffer.subarray(count);
      this.passing -= count;
      return;
    }
    const count = Math.min(this.parser.pendingZeros, this.buffer.length);
    out.push(new Uint8Array(count));
    this.parser.zeros?.(count);
    this.buffer = this.buffer.subarray(count);
    this.parser.pendingZeros -= count;
  }
}
