import { type ImageType, SNIFF_BYTES, sniffImage, storedType } from "./content-types";
import { type ImageFacts, ImageScrubber } from "./scrub";

// An upload's way into R2: streamed, never held whole in memory. Its first bytes decide what it
// is (content-types.ts); an image's metadata is scrubbed on the way (scrub.ts). R2 is told the
// declared length up front (a FixedLengthStream), so a body shorter than its Content-Length fails
// the put, and one longer is cut off here, before R2 sees the extra byte.

export class UploadBodyError extends Error {}

export type StoredUpload = { contentType: string; image: ImageType | null; facts: ImageFacts | null };

type Declared = { length: number; contentType: string | undefined };

/** Reads until the first SNIFF_BYTES are in (or the body ends); returns them and the reader. */
async function firstBytes(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  const head = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    head.set(chunk, at);
    at += chunk.length;
  }
  return { head, reader };
}

/** The body again, from its first bytes on, refusing to run past the declared length. */
function guarded(head: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>, declared: number) {
  let seen = head.length;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (seen > declared)
        controller.error(new UploadBodyError("The body is longer than its Content-Length."));
      else if (head.length > 0) controller.enqueue(head);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.length;
      if (seen > declared) {
        await reader.cancel();
        return controller.error(new UploadBodyError("The body is longer than its Content-Length."));
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

export async function storeUpload(
  bucket: R2Bucket,
  key: string,
  body: ReadableStream<Uint8Array>,
  declared: Declared,
  metadata: { contentDisposition: (contentType: string) => string; name: string },
): Promise<StoredUpload> {
  const { head, reader } = await firstBytes(body);
  const image = sniffImage(head);
  const contentType = storedType(declared.contentType, image);
  let stream = guarded(head, reader, declared.length);
  const scrubber = image ? new ImageScrubber(image) : null;
  if (scrubber) stream = stream.pipeThrough(scrubber.stream());
  const fixed = new FixedLengthStream(declared.length);
  const piped = stream.pipeTo(fixed.writable).catch((error: unknown) => error);
  try {
    await bucket.put(key, fixed.readable, {
      httpMetadata: { contentType, contentDisposition: metadata.contentDisposition(contentType) },
      customMetadata: { name: metadata.name },
    });
  } catch (error) {
    const cause = await piped;
    if (cause instanceof UploadBodyError) throw cause;
    throw new UploadBodyError(`The body ended before its Content-Length (${declared.length} bytes).`, {
      cause: cause ?? error,
    });
  }
  return { contentType, image, facts: scrubber?.facts ?? null };
}
