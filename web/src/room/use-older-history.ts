import { useCallback, useRef, useState } from "preact/hooks";
import { historyPage } from "../api/history";
import type { RoomAction, RoomState } from "../state/room";
import { PAGE } from "./use-room";

// Paging back through a room's history as the reader scrolls up: one page at a time, from the
// oldest message we hold, until the beginning of the room.

export function useOlderHistory(options: {
  roomId: string;
  latest: () => RoomState;
  dispatch: (action: RoomAction) => void;
  /** Called just before the page is put above what is on screen (see use-scroll-anchor.ts). */
  beforePrepend: () => void;
}) {
  const { roomId, latest, dispatch, beforePrepend } = options;
  const [loading, setLoading] = useState(false);
  const inFlight = useRef(false);

  const loadOlder = useCallback(async () => {
    const { timeline } = latest();
    const first = timeline.messages[0];
    if (!first || !timeline.hasOlder || inFlight.current) return;
    inFlight.current = true;
    setLoading(true);
    try {
      const page = await historyPage(roomId, { before: first.seq, limit: PAGE });
      beforePrepend();
      dispatch({ type: "older", messages: page.messages, hasOlder: page.hasMore });
    } finally {
      inFlight.current = false;
      setLoading(false);
    }
  }, [roomId, latest, dispatch, beforePrepend]);

  return { loading, loadOlder };
}
