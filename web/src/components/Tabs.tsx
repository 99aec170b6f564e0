import type { ComponentChildren, RefObject } from "preact";
import { useId, useRef } from "preact/hooks";

// Tabs as the WAI-ARIA APG describes them: one tab stop for the list (the selected tab), ← → Home
// End move and select (automatic activation: each panel is cheap to show), Tab goes on into the
// panel. Only the selected panel is rendered.

export type Tab<Key extends string> = { key: Key; label: string };

export function Tabs<Key extends string>(props: {
  label: string;
  tabs: Tab<Key>[];
  selected: Key;
  onSelect: (key: Key) => void;
  /** The panel, so that a list whose row went away can give it the focus. */
  panelRef?: RefObject<HTMLDivElement>;
  children: ComponentChildren;
}) {
  const id = useId();
  const buttons = useRef(new Map<Key, HTMLButtonElement>());
  const tabId = (key: Key) => `${id}-tab-${key}`;

  function onKeyDown(event: KeyboardEvent) {
    const count = props.tabs.length;
    const at = props.tabs.findIndex((tab) => tab.key === props.selected);
    const moveTo = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: count - 1 }[event.key];
    const next = moveTo === undefined ? undefined : props.tabs[(moveTo + count) % count];
    if (!next) return;
    event.preventDefault();
    props.onSelect(next.key);
    buttons.current.get(next.key)?.focus();
  }

  return (
    <>
      <div class="tabs" role="tablist" aria-label={props.label} onKeyDown={onKeyDown}>
        {props.tabs.map((tab) => {
          const selected = tab.key === props.selected;
          return (
            <button
              key={tab.key}
              ref={(element) => {
                if (element) buttons.current.set(tab.key, element);
                else buttons.current.delete(tab.key);
              }}
              type="button"
              role="tab"
              id={tabId(tab.key)}
              aria-selected={selected}
              aria-controls={`${id}-panel`}
              tabIndex={selected ? 0 : -1}
              class={selected ? "tab active" : "tab"}
              onClick={() => props.onSelect(tab.key)}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div
        ref={props.panelRef}
        class="tab-panel"
        role="tabpanel"
        id={`${id}-panel`}
        aria-labelledby={tabId(props.selected)}
        // Focusable by the page only (a list whose row went away gives it the focus); its own
        // buttons are the tab stops within it.
        tabIndex={-1}
      >
        {props.children}
      </div>
    </>
  );
}
