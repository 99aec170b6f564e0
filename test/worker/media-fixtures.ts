import { SELF } from "cloudflare:test";
import { PhotonImage } from "@cf-wasm/photon";

// Files for the media tests, made in the test: pictures (encoded by the same Photon the Worker
// uses), and the metadata a phone would add to them, with a marker that must never come back.

export const SECRET_PLACE = "SECRETPLACE-51.5007N-0.1246W";

/** A picture of width × height with a gradient (so it is a real image, not a flat colour). */
export function picture(width: number, height: number): PhotonImage {
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 4;
      pixels.set([(x * 255) / width, (y * 255) / height, 128, 255], at);
    }
  return new PhotonImage(pixels, width, height);
}

export function jpeg(width: number, height: number): Uint8Array {
  const image = picture(width, height);
  try {
    return image.get_bytes_jpeg(80);
  } finally {
    image.free();
  }
}

export function png(width: number, height: number): Uint8Array {
  const image = picture(width, height);
  try {
    return image.get_bytes();
  } finally {
    image.free();
  }
}

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));
const be16 = (n: number) => [(n >> 8) & 255, n & 255];
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

/** An Exif APP1 payload with an Orientation and a GPS IFD (latitude and a map datum carrying SECRET_PLACE). */
export function exifWithGps(orientation: number): Uint8Array {
  const datum = [...ascii(SECRET_PLACE), 0];
  // TIFF (big-endian): header 8, IFD0 at 8 with 2 entries (2 + 24 + 4 = 30) → GPS IFD at 38.
  const gpsIfd = 38;
  // GPS IFD: 3 entries (2 + 36 + 4 = 42) → data at 80: latitude (3 rationals, 24 bytes), then the datum.
  const latitudeAt = gpsIfd + 42;
  const datumAt = latitudeAt + 24;
  const tiff = [
    ...ascii("MM"),
    ...be16(42),
    ...be32(8),
    ...be16(2),
    ...be16(0x0112),
    ...be16(3),
    ...be32(1),
    ...be16(orientation),
    0,
    0,
    ...be16(0x8825),
    ...be16(4),
    ...be32(1),
    ...be32(gpsIfd),
    ...be32(0),
    ...be16(3),
    ...be16(0x0001),
    ...be16(2),
    ...be32(2),
    ...ascii("N"),
    0,
    0,
    0,
    ...be16(0x0002),
    ...be16(5),
    ...be32(3),
    ...be32(latitudeAt),
    ...be16(0x0012),
    ...be16(2),
    ...be32(datum.length),
    ...be32(datumAt),
    ...be32(0),
    ...be32(51),
    ...be32(1),
    ...be32(30),
    ...be32(1),
    ...be32(2),
    ...be32(1),
    ...datum,
  ];
  return new Uint8Array([...ascii("Exif"), 0, 0, ...tiff]);
}

/** The JPEG with an APP1 segment (Exif, or XMP) inserted right after its SOI. */
export function withApp1(jpegBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  const segment = [0xff, 0xe1, ...be16(payload.length + 2), ...payload];
  return new Uint8Array([...jpegBytes.subarray(0, 2), ...segment, ...jpegBytes.subarray(2)]);
}

export function xmpWithGps(): Uint8Array {
  const xml = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description exif:GPSLatitude="${SECRET_PLACE}"/></x:xmpmeta>`;
  return new Uint8Array([...ascii("http://ns.adobe.com/xap/1.0/"), 0, ...ascii(xml)]);
}

/** The PNG with an eXIf chunk (carrying SECRET_PLACE) after its IHDR. */
export function pngWithExif(pngBytes: Uint8Array): Uint8Array {
  const data = exifWithGps(1).subarray(6);
  const chunk = [...be32(data.length), ...ascii("eXIf"), ...data, 0, 0, 0, 0]; // a wrong CRC is still skipped
  const afterIhdr = 8 + 25;
  return new Uint8Array([...pngBytes.subarray(0, afterIhdr), ...chunk, ...pngBytes.subarray(afterIhdr)]);
}

export function contains(haystack: Uint8Array, needle: string): boolean {
  return new TextDecoder("latin1").decode(haystack).includes(needle);
}

export type UploadReply = {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
};

/** Uploads bytes to a room as a browser would (raw body, Content-Type, Content-Length). */
export async function upload(
  token: string,
  roomId: string,
  name: string,
  bytes: Uint8Array | ReadableStream<Uint8Array>,
  options: { contentType?: string; headers?: Record<string, string> } = {},
): Promise<UploadReply> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...options.headers };
  if (options.contentType) headers["content-type"] = options.contentType;
  const response = await SELF.fetch(
    `https://hubbub.test/api/rooms/${roomId}/attachments?name=${encodeURIComponent(name)}`,
    { method: "POST", headers, body: bytes },
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** Fetches a file URL (relative, as the API hands it out) without any credentials. */
export function fetchFile(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`https://hubbub.test${url}`, { headers });
}
