import { useCallback, useRef, useState } from "preact/hooks";
import { historyPage } from "../api/history";
import type { RoomAction, RoomState } from "../state/room";

// After a jump to an older message, the messages between it and the newest are paged in as the
// reader scrolls down, one page at a time from the gap (timeline.ts gapAfter), until it closes.

const PAGE = 50;

export function useNewerHistory(options: {
  roomId: string;
  latest: () => RoomState;
  dispatch: (action: RoomAction) => void;
}) {
  const { roomId, latest, dispatch } = options;
  const [loading, setLoading] = useState(false);
  const inFlight = useRef(false);

  const loadNewer = useCallback(async () => {
    const gap = latest().timeline.gapAfter;
    if (gap === null || inFlight.current) return;
    inFlight.current = true;
    setLoading(true);
    try {
      const page = await historyPage(roomId, { after: gap, limit: PAGE });
      dispatch({ type: "after_gap", messages: page.messages, hasMore: page.hasMore });
    } finally {
      inFlight.current = false;
      setLoading(false);
    }
  }, [roomId, latest, dispatch]);

  return { loading, loadNewer };
}
