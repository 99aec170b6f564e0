import { type ClientFrame, type ClientFrameOf, ClientFrameSchema, type ErrorCode } from "../protocol/frames";
import { BODY_TOO_LONG, MAX_FRAME_BYTES } from "../protocol/limits";
import type { RoomConcerns } from "./concerns";

// A frame from a client: checked once at the edge of the room (size, JSON, then the schema), then
// handed to the concern it belongs to. What fails the checks is answered with an `error` frame
// naming the field; the socket stays open.
//
// Adding a frame type: its schema in protocol/frames.ts, one line in `handlersOf` below (the
// compiler asks for it: the table is keyed by every frame type).

type FrameHandlers = { [K in ClientFrame["type"]]: (socket: WebSocket, frame: ClientFrameOf<K>) => unknown };

export class ClientFrames {
  private readonly handlers: FrameHandlers;

  constructor(private readonly room: RoomConcerns) {
    this.handlers = handlersOf(room);
  }

  async receive(socket: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const { sockets, store } = this.room.parts;
    const parsed = parseClientFrame(data);
    if (!("frame" in parsed)) return void sockets.send(socket, { type: "error", ...parsed });
    if (!store.meta.get("roomId")) return; // the room was deleted under this socket
    const { frame } = parsed;
    if (frame.type !== "message") this.room.sending.commit(); // everything else sees every message so far
    await (this.handlers[frame.type] as (socket: WebSocket, frame: ClientFrame) => unknown)(socket, frame);
  }
}

/** What each client frame does. */
function handlersOf(room: RoomConcerns): FrameHandlers {
  const userOf = (socket: WebSocket) => room.parts.sockets.state(socket).userId;
  return {
    message: (socket, frame) => room.sending.receiveFrame(socket, frame),
    typing: (socket, frame) => {
      // Someone who may not post (muted, blocked) does not show as typing either.
      if (!frame.typing || !room.moderation.refusalToPost(userOf(socket)))
        room.typing.set(socket, frame.typing);
    },
    read: (socket, frame) => room.read(userOf(socket), frame.seq),
    react: (socket, frame) => {
      const outcome = room.reactions.react(userOf(socket), frame.seq, frame.emoji, frame.on);
      if (!outcome.ok)
        room.parts.sockets.send(socket, { type: "error", code: outcome.code, message: outcome.message });
    },
    ping: (socket) => room.parts.sockets.send(socket, { type: "pong" }),
    call_join: (socket, frame) => room.calls.join(socket, frame),
    call_update: (socket, frame) => room.calls.update(socket, frame),
    call_leave: (socket) => room.calls.leave(socket),
    call_signal: (socket, frame) => room.calls.signal(socket, frame),
  };
}

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
