import { useCallback, useLayoutEffect, useRef } from "preact/hooks";
import type { Timeline } from "../state/timeline";

// Where the timeline is scrolled: it follows new messages while the reader is at the bottom, stays
// put while they read further up, and keeps the messages on screen still when an older page is put
// above them (by keeping the distance from the bottom, which the new page does not change).

const AT_BOTTOM_PX = 80;
const NEAR_TOP_PX = 120;

export function useScrollAnchor(timeline: Timeline) {
  const scroller = useRef<HTMLElement>(null);
  const kept = useRef<{ height: number; top: number } | null>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (kept.current) {
      element.scrollTop = element.scrollHeight - kept.current.height + kept.current.top;
      kept.current = null;
    } else if (following.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [timeline]);

  /** Before older messages are put above: what is on screen stays where it is. */
  const keepPosition = useCallback(() => {
    const element = scroller.current;
    if (element) kept.current = { height: element.scrollHeight, top: element.scrollTop };
  }, []);

  /** Our own send: show the newest message, and keep following. */
  const followNewest = useCallback(() => {
    following.current = true;
  }, []);

  /** After the reader scrolled: whether they are near the top, where older messages should load. */
  const scrolled = useCallback((): boolean => {
    const element = scroller.current;
    if (!element) return false;
    following.current = element.scrollHeight - element.scrollTop - element.clientHeight < AT_BOTTOM_PX;
    return element.scrollTop < NEAR_TOP_PX;
  }, []);

  /**
   * Brings a message the timeline holds into view and gives it the focus (from a report in the
   * room's settings). After the dialog that asked has closed and given the focus back to its opener.
   */
  const showMessage = useCallback((seq: number) => {
    requestAnimationFrame(() => {
      const message = scroller.current?.querySelector<HTMLElement>(`[data-seq="${seq}"]`);
      if (!message) return;
      following.current = false;
      message.scrollIntoView({ block: "center" });
      message.focus({ preventScroll: true });
    });
  }, []);

  return { scroller, keepPosition, followNewest, scrolled, showMessage };
}
