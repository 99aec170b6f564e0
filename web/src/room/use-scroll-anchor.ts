import { useCallback, useLayoutEffect, useRef } from "preact/hooks";

// Where the timeline is scrolled: it follows new messages while the reader is at the bottom, stays
// put while they read further up, and keeps the messages on screen still when an older page is put
// above them (by keeping the distance from the bottom, which the new page does not change). A jump
// to a message scrolls it to the middle once it is rendered; below a gap (a jump back in history)
// there is nothing to follow, so newer pages are put below without moving what is on screen.

const AT_BOTTOM_PX = 80;
const NEAR_EDGE_PX = 120;

/** `content` changes whenever what is shown changes (a timeline, a thread's replies). */
export function useScrollAnchor(content: unknown, gapAfter: number | null = null) {
  const scroller = useRef<HTMLElement>(null);
  const kept = useRef<{ height: number; top: number } | null>(null);
  const following = useRef(true);
  const revealing = useRef<number | null>(null);
  const gap = useRef(gapAfter);
  gap.current = gapAfter;

  /** Scrolls a message to the middle if it is rendered; true if it was. */
  const scrollTo = useCallback((seq: number): boolean => {
    const element = scroller.current?.querySelector<HTMLElement>(`[data-seq="${seq}"]`);
    if (!element) return false;
    element.scrollIntoView({ block: "center" });
    element.focus({ preventScroll: true });
    return true;
  }, []);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (revealing.current !== null) {
      if (scrollTo(revealing.current)) revealing.current = null;
    } else if (kept.current) {
      element.scrollTop = element.scrollHeight - kept.current.height + kept.current.top;
      kept.current = null;
    } else if (following.current && gap.current === null) {
      element.scrollTop = element.scrollHeight;
    }
  }, [content, scrollTo]);

  /** Before older messages are put above: what is on screen stays where it is. */
  const keepPosition = useCallback(() => {
    const element = scroller.current;
    if (element) kept.current = { height: element.scrollHeight, top: element.scrollTop };
  }, []);

  /** Our own send: show the newest message, and keep following. */
  const followNewest = useCallback(() => {
    following.current = true;
    revealing.current = null;
  }, []);

  /** A jump: scroll to this message now if it is rendered, else once it is. */
  const reveal = useCallback(
    (seq: number) => {
      following.current = false;
      revealing.current = scrollTo(seq) ? null : seq;
    },
    [scrollTo],
  );

  /** After the reader scrolled: whether they are near the top (load older) or the bottom (newer). */
  const scrolled = useCallback((): { nearTop: boolean; nearBottom: boolean } => {
    const element = scroller.current;
    if (!element) return { nearTop: false, nearBottom: false };
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
    following.current = fromBottom < AT_BOTTOM_PX && gap.current === null;
    return { nearTop: element.scrollTop < NEAR_EDGE_PX, nearBottom: fromBottom < NEAR_EDGE_PX };
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

  return { scroller, keepPosition, followNewest, reveal, scrolled, showMessage };
}
