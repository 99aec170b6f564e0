// What a file is, decided by its first bytes where it matters, and how it may be served.
//
// The declared Content-Type is a claim. Raster images are recognised by their signatures (a PNG
// named .jpg is a PNG); a file that claims to be an image but is not one (an HTML page called
// photo.jpg) is stored as application/octet-stream. Whatever the type, only what a browser shows
// without running it is served inline: the images we recognised, audio and video. Everything else
// (HTML, SVG, JavaScript, XML, PDF, …) is a download, with nosniff and a sandboxing CSP.

export type ImageType = "image/jpeg" | "image/png" | "image/gif" | "image/webp";

/** The raster image type these first bytes begin, or null. */
export function sniffImage(head: Uint8Array): ImageType | null {
  const at = (offset: number, ...bytes: number[]) => bytes.every((byte, i) => head[offset + i] === byte);
  if (at(0, 0xff, 0xd8, 0xff)) return "image/jpeg";
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61)
    return "image/gif";
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return "image/webp";
  return null;
}

/** How many first bytes sniffImage needs to decide. */
export const SNIFF_BYTES = 12;

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** The type a file is stored and served with: its sniffed image type, else its declared one (if sane). */
export function storedType(declared: string | undefined, sniffed: ImageType | null): string {
  if (sniffed) return sniffed;
  const type = (declared ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!MEDIA_TYPE.test(type)) return "application/octet-stream";
  // It said image, its bytes said otherwise. SVG is a real type people share (served as a download).
  if (type.startsWith("image/") && type !== "image/svg+xml") return "application/octet-stream";
  return type;
}

/** Whether a browser may show this type in the page (never anything it would run). */
export function servedInline(contentType: string): boolean {
  return (
    contentType === "image/jpeg" ||
    contentType === "image/png" ||
    contentType === "image/gif" ||
    contentType === "image/webp" ||
    contentType.startsWith("audio/") ||
    contentType.startsWith("video/")
  );
}

export function isImage(contentType: string): contentType is ImageType {
  return /^image\/(jpeg|png|gif|webp)$/.test(contentType);
}

/** `Content-Disposition` for a file name: inline or attachment, with the name in UTF-8 (RFC 6266). */
export function disposition(name: string, inline: boolean): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
