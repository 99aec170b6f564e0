import { useCallback, useLayoutEffect, useRef } from "preact/hooks";
import type { Timeline } from "../state/timeline";

// Where the timeline is scrolled: it follows new messages while the reader is at the bottom, stays
// put while they read further up, and keeps the messages on screen still when an older page is put
// above them (by keeping the distance from the bottom, which the new page does not change). After a
// jump it shows the message jumped to in the middle, and follows nothing until the live end is met
// again (a newer page goes below what is read, which keeps it still by itself).

const AT_BOTTOM_PX = 80;
const NEAR_TOP_PX = 120;
const NEAR_BOTTOM_PX = 160;

export function useScrollAnchor(timeline: Timeline, highlight: { seq: number; key: number } | null) {
  const scroller = useRef<HTMLElement>(null);
  const kept = useRef<{ height: number; top: number } | null>(null);
  const following = useRef(highlight === null);
  const shownJump = useRef<number | null>(null);
  const awayFromEnd = useRef(timeline.hasNewer);
  awayFromEnd.current = timeline.hasNewer;

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const jumpedTo = highlight?.key !== shownJump.current && highlight ? highlight : null;
    const target = jumpedTo && element.querySelector(`[data-seq="${jumpedTo.seq}"]`);
    if (jumpedTo && target) {
      shownJump.current = jumpedTo.key;
      kept.current = null;
      following.current = false;
      target.scrollIntoView({ block: "center" });
    } else if (kept.current) {
      element.scrollTop = element.scrollHeight - kept.current.height + kept.current.top;
      kept.current = null;
    } else if (following.current && !timeline.hasNewer) {
      element.scrollTop = element.scrollHeight;
    }
  }, [timeline, highlight]);

  /** Before older messages are put above: what is on screen stays where it is. */
  const keepPosition = useCallback(() => {
    const element = scroller.current;
    if (element) kept.current = { height: element.scrollHeight, top: element.scrollTop };
  }, []);

  /** Our own send: show the newest message, and keep following. */
  const followNewest = useCallback(() => {
    following.current = true;
  }, []);

  /** After the reader scrolled: whether they are near the top or the bottom, where pages should load. */
  const scrolled = useCallback((): { nearTop: boolean; nearBottom: boolean } => {
    const element = scroller.current;
    if (!element) return { nearTop: false, nearBottom: false };
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
    following.current = !awayFromEnd.current && fromBottom < AT_BOTTOM_PX;
    return { nearTop: element.scrollTop < NEAR_TOP_PX, nearBottom: fromBottom < NEAR_BOTTOM_PX };
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
