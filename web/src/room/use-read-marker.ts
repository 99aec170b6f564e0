import { useEffect, useRef } from "preact/hooks";
import { done } from "../api/answers";
import { api, roomParam } from "../api/client";
import type { ClientFrame } from "../api/types";
import type { ConnectionState } from "../realtime/live-socket";

// Reading: the newest message shown while the page is visible is read. The marker goes over the
// socket when it is open and over the API when not; the room list's badge clears at once.

export function useReadMarker(options: {
  roomId: string;
  newestSeq: number;
  connection: ConnectionState;
  send: (frame: ClientFrame) => boolean;
  onRead: (roomId: string, seq: number) => void;
}) {
  const { roomId, newestSeq, connection, send, onRead } = options;
  const sent = useRef(0);
  useEffect(() => {
    const markRead = () => {
      if (document.visibilityState !== "visible" || newestSeq <= sent.current) return;
      sent.current = newestSeq;
      if (!send({ type: "read", seq: newestSeq })) {
        done(api.rooms[":roomId"].read.$post({ param: roomParam(roomId), json: { seq: newestSeq } })).catch(
          () => undefined,
        );
      }
      onRead(roomId, newestSeq);
    };
    markRead();
    document.addEventListener("visibilitychange", markRead);
    return () => document.removeEventListener("visibilitychange", markRead);
    // The connection is a dependency so that a marker is sent once the socket is live.
  }, [newestSeq, roomId, onRead, connection, send]);
}
