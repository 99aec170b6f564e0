import { type ClientFrame, ClientFrameSchema, type ErrorCode } from "../protocol/frames";
import { BODY_TOO_LONG, MAX_FRAME_BYTES } from "../protocol/limits";

// A frame from a client, checked once at the edge of the room: size, JSON, then the schema. What
// fails is answered with an `error` frame naming the field; the socket stays open.

export type FrameRefusal = { code: ErrorCode; message: string; clientId?: string };

export function parseClientFrame(data: string | ArrayBuffer): { frame: ClientFrame } | FrameRefusal {
  if (typeof data !== "string") return { code: "invalid_request", message: "Frames must be JSON text." };
  // A UTF-16 unit is at most 3 bytes of UTF-8: only a long frame needs encoding to be measured.
  if (
    data.length > MAX_FRAME_BYTES ||
    (data.length * 3 > MAX_FRAME_BYTES && new TextEncoder().encode(data).byteLength > MAX_FRAME_BYTES)
  ) {
    return { code: "payload_too_large", message: `Frames must be at most ${MAX_FRAME_BYTES} bytes.` };
  }
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { code: "invalid_request", message: "Frames must be JSON." };
  }
  const parsed = ClientFrameSchema.safeParse(json);
  if (parsed.success) return { frame: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  const clientId = (json as { clientId?: unknown } | null)?.clientId;
  const refusal: FrameRefusal = {
    code: issue?.message === BODY_TOO_LONG ? "payload_too_large" : "invalid_request",
    message: `${where}${issue?.message ?? "invalid frame"}`,
  };
  if (typeof clientId === "string") refusal.clientId = clientId;
  return refusal;
}
