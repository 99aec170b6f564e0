import { useCallback, useEffect, useRef } from "preact/hooks";
import { type ClientFrame, CloseCode, type RoomFrame } from "../api/types";
import { showError } from "../components/Toasts";
import { type LiveSocket, openLiveSocket } from "../realtime/live-socket";
import type { RoomAction, RoomState } from "../state/room";
import { lastSeq, type PendingSend } from "../state/timeline";
import { catchUp } from "./catch-up";

// The room's live socket, from the moment the room is open until it is left. It resumes with
// since=<the last seq we hold>, so after any drop the room replays exactly what we missed. Our
// sends are confirmed by the server's own copy (matched by clientId); unconfirmed ones are resent
// with the same clientId after every welcome, which the room turns into a no-op if it had them.

const CONFIRM_TIMEOUT_MS = 10_000;

type Options = {
  roomId: string;
  /** The details and newest page are in: the socket may open (since= needs the last seq). */
  opened: boolean;
  latest: () => RoomState;
  dispatch: (action: RoomAction) => void;
  /** Member frames missed while away are not replayed: a reconnect fetches the details again. */
  reloadDetails: () => void;
};

export type RoomSocket = {
  /** Sends a frame if the socket is open; false if it is not (the caller may use the API instead). */
  send: (frame: ClientFrame) => boolean;
  /** Sends one of our messages, and marks it failed if a live socket never confirms it. */
  sendMessage: (send: PendingSend) => void;
};

export function useRoomSocket({ roomId, opened, latest, dispatch, reloadDetails }: Options): RoomSocket {
  const socket = useRef<LiveSocket | null>(null);

  const send = useCallback((frame: ClientFrame) => socket.current?.send(frame) ?? false, []);

  const sendMessage = useCallback(
    (pending: PendingSend) => {
      const attachmentIds = pending.attachments?.map((file) => file.id);
      send({
        type: "message",
        body: pending.body,
        clientId: pending.clientId,
        ...(pending.threadSeq !== undefined ? { threadSeq: pending.threadSeq } : {}),
        ...(pending.quote ? { replyTo: pending.quote.seq } : {}),
        ...(attachmentIds?.length ? { attachmentIds } : {}),
      });
      setTimeout(() => {
        const { timeline, connection } = latest();
        const still = timeline.pending.find((each) => each.clientId === pending.clientId);
        // Only a live socket that stayed silent is a failure; while reconnecting, the resend follows.
        if (still?.status === "sending" && connection === "live") {
          dispatch({ type: "failed", clientId: pending.clientId, error: "no confirmation from the server" });
        }
      }, CONFIRM_TIMEOUT_MS);
    },
    [send, latest, dispatch],
  );

  useEffect(() => {
    if (!opened) return;
    let welcomes = 0;
    const onFrame = (frame: RoomFrame) => {
      dispatch({ type: "frame", frame, now: Date.now() });
      // A refused send shows on the message itself (the reducer marks it); anything else, here.
      if (frame.type === "error" && !frame.clientId) showError("The room refused that", frame.message);
      if (frame.type === "resume_incomplete")
        catchUp(roomId, frame.nextSeq, dispatch).catch((error: unknown) =>
          showError(
            "Could not load the messages you missed",
            error instanceof Error ? error.message : String(error),
          ),
        );
      if (frame.type !== "welcome") return;
      welcomes += 1;
      if (welcomes > 1) reloadDetails();
      for (const pending of latest().timeline.pending) if (pending.status === "sending") sendMessage(pending);
    };
    const live = openLiveSocket<RoomFrame>({
      path: () => `/rooms/${encodeURIComponent(roomId)}/ws?since=${lastSeq(latest().timeline)}`,
      onFrame,
      onState: (state) => dispatch({ type: "connection", state }),
      // The server says why it ended the socket ("You were banned from this room."): say that.
      onEnded: (code, reason) =>
        dispatch({
          type: "gone",
          reason:
            code === CloseCode.roomDeleted
              ? "This room was deleted."
              : reason || "You are no longer a member of this room.",
        }),
    });
    socket.current = live;
    return () => {
      live.close();
      socket.current = null;
    };
  }, [opened, roomId, latest, dispatch, reloadDetails, sendMessage]);

  return { send, sendMessage };
}
