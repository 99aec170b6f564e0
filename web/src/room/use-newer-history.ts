import { useCallback, useRef, useState } from "preact/hooks";
import { historyPage } from "../api/history";
import type { RoomAction, RoomState } from "../state/room";
import { PAGE } from "./use-room";

// Paging down after a jump to an older message (a search result): one page at a time after the
// newest message shown, until a page says nothing newer is left and the timeline meets the live
// end (state/timeline.ts appendPage). Back to the newest at once: `latest`.

export function useNewerHistory(options: {
  roomId: string;
  latest: () => RoomState;
  dispatch: (action: RoomAction) => void;
}) {
  const { roomId, latest, dispatch } = options;
  const [loading, setLoading] = useState(false);
  const inFlight = useRef(false);

  const once = useCallback(async (work: () => Promise<void>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setLoading(true);
    try {
      await work();
    } finally {
      inFlight.current = false;
      setLoading(false);
    }
  }, []);

  const loadNewer = useCallback(async () => {
    const { timeline } = latest();
    const last = timeline.messages.at(-1);
    if (!last || !timeline.hasNewer) return;
    await once(async () => {
      const page = await historyPage(roomId, { after: last.seq, limit: PAGE });
      dispatch({ type: "newer_page", messages: page.messages, hasNewer: page.hasMore });
    });
  }, [roomId, latest, dispatch, once]);

  const jumpToLatest = useCallback(async () => {
    if (!latest().timeline.hasNewer) return;
    await once(async () => {
      const page = await historyPage(roomId, { limit: PAGE });
      dispatch({ type: "latest", messages: page.messages, hasOlder: page.hasMore });
    });
  }, [roomId, latest, dispatch, once]);

  return { loading, loadNewer, jumpToLatest };
}
