import { useEffect, useState } from "preact/hooks";

// Phones show one pane at a time: the room list, or a room. styles.css switches at the same width.
export const ONE_PANE = "(max-width: 760px)";

/** Whether a media query matches, following changes (a rotated phone, a resized window). */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const update = () => setMatches(list.matches);
    update();
    list.addEventListener("change", update);
    return () => list.removeEventListener("change", update);
  }, [query]);
  return matches;
}
