import type { MentionCandidate } from "../text/mentions";
import { Avatar } from "./Avatar";

// The members an `@` may mean, as the listbox of the composer's combobox (room/use-mention-
// suggestions.ts has the keys). Options are not focusable: the focus stays in the textarea, and
// aria-activedescendant there names the active one.

export function MentionList(props: {
  id: string;
  candidates: MentionCandidate[];
  active: number;
  onChoose: (candidate: MentionCandidate) => void;
  onHover: (index: number) => void;
}) {
  return (
    <div id={props.id} class="mention-list" role="listbox" aria-label="People to mention">
      {props.candidates.map((candidate, index) => (
        // biome-ignore lint/a11y/useFocusableInteractive: the textarea keeps the focus and points here (aria-activedescendant)
        // biome-ignore lint/a11y/useKeyWithClickEvents: the textarea's arrow keys, Enter and Tab do what the click does
        <div
          key={candidate.username}
          id={`${props.id}-${index}`}
          role="option"
          aria-selected={index === props.active}
          class={index === props.active ? "mention-option active" : "mention-option"}
          onPointerEnter={() => props.onHover(index)}
          // Keep the focus (and the caret) in the textarea: a click must not blur it first.
          onPointerDown={(event) => event.preventDefault()}
          onClick={() => props.onChoose(candidate)}
        >
          {candidate.userId ? (
            <Avatar name={candidate.label} id={candidate.userId} />
          ) : (
            <span class="avatar room-avatar">@</span>
          )}
          <span class="pick-text">
            <strong>
              <bdi>{candidate.label}</bdi>
            </strong>
            <span class="muted">@{candidate.username}</span>
          </span>
        </div>
      ))}
    </div>
  );
}
