import { useMemo, useState } from "preact/hooks";
import type { Member } from "../api/types";
import { insertMention, type MentionCandidate, mentionCandidates, mentionQuery } from "../text/mentions";

// The composer's @-autocomplete, as a combobox over the textarea (WAI-ARIA APG "combobox with
// listbox popup"): typing `@` and the start of a name lists the members it may mean; ↑ ↓ move,
// Enter or Tab put the chosen name in, Escape closes the list (until the next `@`), and a click
// on a name does what Enter does. The focus never leaves the textarea.

export type MentionSuggestions = {
  /** The list to show, or empty when it is closed. */
  candidates: MentionCandidate[];
  active: number;
  /** Call after every input and caret move, with the text and the caret. */
  update: (text: string, caret: number) => void;
  /** Handles a key while the list is open; true if it was the list's key (the caller then stops). */
  onKey: (event: KeyboardEvent) => boolean;
  choose: (candidate: MentionCandidate) => void;
  setActive: (index: number) => void;
};

export function useMentionSuggestions(options: {
  members: Member[];
  me: string;
  canMentionRoom: boolean;
  /** Puts the new text in the composer with the caret after the name. */
  replace: (text: string, caret: number) => void;
}): MentionSuggestions {
  const { members, me, canMentionRoom, replace } = options;
  const [typed, setTyped] = useState<{ text: string; start: number; query: string } | null>(null);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState(0);

  const candidates = useMemo(
    () =>
      typed && typed.start !== dismissedAt
        ? mentionCandidates(members, typed.query, { me, canMentionRoom })
        : [],
    [typed, dismissedAt, members, me, canMentionRoom],
  );

  const update = (text: string, caret: number) => {
    const found = mentionQuery(text, caret);
    if (found?.start !== typed?.start || found?.query !== typed?.query) setActive(0);
    setTyped(found ? { text, ...found } : null);
    if (!found) setDismissedAt(null);
  };

  const choose = (candidate: MentionCandidate) => {
    if (!typed) return;
    const next = insertMention(typed.text, typed, candidate.username);
    setTyped(null);
    replace(next.text, next.caret);
  };

  const onKey = (event: KeyboardEvent): boolean => {
    if (candidates.length === 0 || event.isComposing) return false;
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step !== undefined) {
      setActive((active + step + candidates.length) % candidates.length);
    } else if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
      const chosen = candidates[active];
      if (chosen) choose(chosen);
    } else if (event.key === "Escape") {
      setDismissedAt(typed?.start ?? null);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  return {
    candidates,
    active: Math.min(active, Math.max(0, candidates.length - 1)),
    update,
    onKey,
    choose,
    setActive,
  };
}
