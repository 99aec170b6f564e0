import { PhotonImage, resize, SamplingFilter } from "@cf-wasm/photon";
import type { ImageType } from "./content-types";

// Thumbnails and avatars are made in the Worker with Photon (Rust's `image` crate compiled to
// WASM, packaged for workerd by @cf-wasm/photon): it decodes JPEG, PNG, GIF and WebP, runs the same
// offline in `wrangler dev`, the tests and production, and needs no binding. (The Images binding
// would be lighter on the Worker's CPU but, locally, it needs either a Cloudflare account or sharp,
// whose native install is not to be had offline.)
//
// Re-encoding writes only pixels: no Exif, no location, whatever the original carried.

export type Encoded = { bytes: Uint8Array; contentType: "image/jpeg" | "image/png" };

/** Turns raw RGBA pixels the way an Exif orientation says (2–8), so the picture stands upright. */
function orient(pixels: Uint8Array, width: number, height: number, orientation: number) {
  if (orientation <= 1 || orientation > 8) return { pixels, width, height };
  const swap = orientation >= 5;
  const [w, h] = swap ? [height, width] : [width, height];
  const out = new Uint8Array(pixels.length);
  const from = sourceOf(orientation, width, height);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = from(x, y) * 4;
      out.set(pixels.subarray(at, at + 4), (y * w + x) * 4);
    }
  }
  return { pixels: out, width: w, height: h };
}

/** Where an upright pixel (x, y) comes from in the stored picture, as an index of pixels. */
function sourceOf(orientation: number, width: number, height: number): (x: number, y: number) => number {
  const at = (sx: number, sy: number) => sy * width + sx;
  switch (orientation) {
    case 2:
      return (x, y) => at(width - 1 - x, y);
    case 3:
      return (x, y) => at(width - 1 - x, height - 1 - y);
    case 4:
      return (x, y) => at(x, height - 1 - y);
    case 5:
      return (x, y) => at(y, x);
    case 6:
      return (x, y) => at(y, height - 1 - x);
    case 7:
      return (x, y) => at(width - 1 - y, height - 1 - x);
    default:
      return (x, y) => at(width - 1 - y, x); // 8
  }
}

function encode(image: PhotonImage, source: ImageType): Encoded {
  // Photos stay JPEG; PNG, GIF and WebP may be transparent, and are usually drawings or screenshots.
  return source === "image/jpeg"
    ? { bytes: image.get_bytes_jpeg(82), contentType: "image/jpeg" }
    : { bytes: image.get_bytes(), contentType: "image/png" };
}

/** Decodes, crops (optionally to a centred square), scales down to `longSide`, turns upright, encodes. */
export function scaledDown(
  bytes: Uint8Array,
  source: ImageType,
  options: { longSide: number; orientation: number; square?: boolean },
): Encoded | null {
  let image: PhotonImage | null = null;
  let scaled: PhotonImage | null = null;
  let upright: PhotonImage | null = null;
  try {
    image = PhotonImage.new_from_byteslice(bytes);
    let [width, height] = [image.get_width(), image.get_height()];
    if (options.square && width !== height) {
      const side = Math.min(width, height);
      const cropped = cropCentre(image, side);
      image.free();
      image = cropped;
      [width, height] = [side, side];
    }
    const scale = Math.min(1, options.longSide / Math.max(width, height));
    const [w, h] = [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
    scaled = scale < 1 ? resize(image, w, h, SamplingFilter.Triangle) : null;
    const small = scaled ?? image;
    const turned = orient(small.get_raw_pixels(), w, h, options.orientation);
    upright = new PhotonImage(turned.pixels, turned.width, turned.height);
    return encode(upright, source);
  } catch (error) {
    console.warn("could not scale an image", source, error);
    return null;
  } finally {
    upright?.free();
    scaled?.free();
    image?.free();
  }
}

function cropCentre(image: PhotonImage, side: number): PhotonImage {
  const [width, height] = [image.get_width(), image.get_height()];
  const [left, top] = [Math.floor((width - side) / 2), Math.floor((height - side) / 2)];
  const pixels = image.get_raw_pixels();
  const out = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    const from = ((top + y) * width + left) * 4;
    out.set(pixels.subarray(from, from + side * 4), y * side * 4);
  }
  return new PhotonImage(out, side, side);
}
