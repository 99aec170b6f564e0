import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  type EmojiEntry,
  type EmojiGroup,
  gridMove,
  searchEmoji,
  unpackEmojiGroups,
} from "../text/emoji-search";

// Choosing a reaction: a search box and a grid of emoji (recently used first, then Unicode's
// groups), all from data built into the app (web/build/emoji-data.ts), so it works offline. The
// focus stays in the search box, which is a combobox (WAI-ARIA APG) over the grid: typing
// searches by name and keyword, the arrow keys move through the grid, Enter picks, Escape closes.
// A click or a tap on an emoji picks it too; a click outside closes the picker.

const COLUMNS = 8;
let loading: Promise<EmojiGroup[]> | null = null;

/** The emoji data, loaded once, on first use (a chunk of its own: most visits never open this). */
function loadEmoji(): Promise<EmojiGroup[]> {
  loading ??= import("virtual:emoji-data").then((module) => unpackEmojiGroups(module.default));
  return loading;
}

type Section = { name: string; emojis: EmojiEntry[] };

export function EmojiPicker(props: {
  anchor: HTMLElement | null;
  recent: string[];
  onPick: (emoji: string) => void;
  onClose: () => void;
}) {
  const [groups, setGroups] = useState<EmojiGroup[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const { onClose } = props;

  useEffect(() => {
    loadEmoji().then(setGroups, () => setFailed(true));
  }, []);

  const sections = useMemo(() => pickerSections(groups, props.recent, query), [groups, props.recent, query]);
  const options = sections.flatMap((section) => section.emojis);
  const current = options[Math.min(active, options.length - 1)];

  useLayoutEffect(() => {
    input.current?.focus();
    place(box.current, props.anchor);
  }, [props.anchor]);

  // The active emoji stays in view as the arrows move through the grid.
  useLayoutEffect(() => {
    document.getElementById(optionId(listId, active))?.scrollIntoView({ block: "nearest" });
  }, [active, listId]);

  useEffect(() => {
    const outside = (event: PointerEvent) => {
      if (event.target instanceof Node && !box.current?.contains(event.target)) onClose();
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [onClose]);

  function onKey(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      onClose();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (current) props.onPick(current.emoji);
    } else if (["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"].includes(event.key)) {
      event.preventDefault();
      setActive(
        gridMove(
          sections.map((section) => section.emojis.length),
          COLUMNS,
          active,
          event.key,
        ),
      );
    }
  }

  let index = 0;
  return (
    <div class="emoji-picker" role="dialog" aria-label="Choose a reaction" ref={box}>
      <input
        ref={input}
        type="text"
        class="emoji-search"
        role="combobox"
        aria-label="Search emoji"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={current ? optionId(listId, Math.min(active, options.length - 1)) : undefined}
        placeholder="Search emoji"
        value={query}
        onInput={(event) => {
          setQuery(event.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKey}
        onBlur={(event) => {
          const next = event.relatedTarget;
          if (!(next instanceof Node && box.current?.contains(next))) onClose();
        }}
      />
      <div class="emoji-scroll">
        {failed && <p class="muted pad">The emoji could not be loaded.</p>}
        {!groups && !failed && <p class="muted pad">Loading emoji…</p>}
        {groups && options.length === 0 && <p class="muted pad">No emoji match “{query}”.</p>}
        <div id={listId} role="listbox" aria-label="Emoji">
          {sections.map((section) => (
            // biome-ignore lint/a11y/useSemanticElements: a group of options inside a listbox, not a form's fieldset
            <div key={section.name} role="group" aria-label={section.name}>
              <p class="emoji-group-title" aria-hidden="true">
                {section.name}
              </p>
              <div class="emoji-grid">
                {section.emojis.map((entry) => {
                  const at = index++;
                  return (
                    // biome-ignore lint/a11y/useFocusableInteractive: the search box keeps the focus and points here (aria-activedescendant)
                    // biome-ignore lint/a11y/useKeyWithClickEvents: the search box's arrow keys and Enter do what the click does
                    <div
                      key={`${section.name}-${entry.emoji}`}
                      id={optionId(listId, at)}
                      role="option"
                      aria-selected={at === active}
                      aria-label={entry.name}
                      title={entry.name}
                      class={at === active ? "emoji-option active" : "emoji-option"}
                      onPointerEnter={() => setActive(at)}
                      // Keep the focus in the search box: a click must not blur it first.
                      onPointerDown={(event) => event.preventDefault()}
                      onClick={() => props.onPick(entry.emoji)}
                    >
                      {entry.emoji}
                    </div>
                  );
                })}
              </div>
            </div>
          ))}
        </div>
      </div>
      <p class="emoji-status" aria-live="polite">
        {current ? current.name : ""}
      </p>
    </div>
  );
}

const optionId = (listId: string, index: number) => `${listId}-option-${index}`;

function pickerSections(groups: EmojiGroup[] | null, recent: string[], query: string): Section[] {
  if (!groups) return [];
  if (query.trim()) return [{ name: "Search results", emojis: searchEmoji(groups, query) }];
  const byEmoji = new Map(
    groups.flatMap((group) => group.emojis.map((entry) => [entry.emoji, entry] as const)),
  );
  const recentEntries = recent.map((emoji) => byEmoji.get(emoji) ?? { emoji, name: emoji, keywords: "" });
  return [...(recentEntries.length ? [{ name: "Recently used", emojis: recentEntries }] : []), ...groups];
}

/** Below the button that opened it, or above when there is no room below; inside the window. */
function place(box: HTMLElement | null, anchor: HTMLElement | null): void {
  if (!box || !anchor) return;
  const at = anchor.getBoundingClientRect();
  const { width, height } = box.getBoundingClientRect();
  const below = at.bottom + 6 + height <= window.innerHeight;
  const top = below ? at.bottom + 6 : Math.max(8, at.top - 6 - height);
  const left = Math.min(Math.max(8, at.left), window.innerWidth - width - 8);
  box.style.setProperty("--picker-top", `${top}px`);
  box.style.setProperty("--picker-left", `${left}px`);
}
