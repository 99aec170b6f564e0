import { useCallback, useEffect, useState } from "preact/hooks";
import { historyAround } from "../api/history";
import { showError } from "../components/Toasts";
import type { RoomAction, RoomState } from "../state/room";
import { shownMessages } from "../state/timeline";

// Jumping to a message (a quote, a pin): if it is on screen, scroll to it; if we hold it past a
// gap, go back to the newest messages first; otherwise load a page around it (`around=`), which
// opens a gap that paging down closes (use-newer-history.ts). It is highlighted for a moment.

const AROUND_PAGE = 50;
const HIGHLIGHT_MS = 2500;

export function useJump(options: {
  roomId: string;
  latest: () => RoomState;
  dispatch: (action: RoomAction) => void;
  /** Scrolls to a message once it is rendered (use-scroll-anchor.ts). */
  reveal: (seq: number) => void;
}) {
  const { roomId, latest, dispatch, reveal } = options;
  const [highlighted, setHighlighted] = useState<number | null>(null);

  useEffect(() => {
    if (highlighted === null) return;
    const timer = setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlighted]);

  const jumpTo = useCallback(
    async (seq: number) => {
      const { timeline } = latest();
      const shown = shownMessages(timeline).some((message) => message.seq === seq);
      const held = timeline.messages.some((message) => message.seq === seq);
      try {
        if (!shown && held) dispatch({ type: "latest" });
        if (!held) {
          const page = await historyAround(roomId, seq, AROUND_PAGE);
          dispatch({ type: "around", ...page });
        }
        reveal(seq);
        setHighlighted(seq);
      } catch (error) {
        showError("Could not show that message", error);
      }
    },
    [roomId, latest, dispatch, reveal],
  );

  return { jumpTo, highlighted };
}
