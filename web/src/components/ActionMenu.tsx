import type { ComponentChildren } from "preact";
import { useId, useLayoutEffect, useRef, useState } from "preact/hooks";

// What you can do to one thing (a message: react, reply, pin, edit, delete, report; a member: roles,
// remove, ban, mute, block; a room: its notification level), behind one labelled button, so that
// keyboards and screen readers reach it as easily as a mouse: a menu button (WAI-ARIA APG "menu
// button"). Enter, Space or ↓ open it on the first item, ↑ on the last; ↑ ↓ Home End move; Escape
// closes it and gives the focus back to the button; Tab or a click elsewhere closes it. An action
// with `checked` is one of a set of choices (menuitemradio).

export type MenuAction = { label: string; run: () => void; checked?: boolean };

/** `label` names the button and its menu, e.g. "Message actions", "Actions for Ben". */
export function ActionMenu(props: {
  label: string;
  actions: MenuAction[];
  /** What the button shows (⋯ unless given); its class; the menu opens towards the line's start or end. */
  children?: ComponentChildren;
  class?: string;
  align?: "start" | "end";
}) {
  const [open, setOpen] = useState<"first" | "last" | null>(null);
  const [above, setAbove] = useState(true);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  // In the same turn as the render, so a key pressed right after opening reaches the item.
  useLayoutEffect(() => {
    const items = menuItems(menu.current);
    (open === "last" ? items.at(-1) : items[0])?.focus();
  }, [open]);

  function show(start: "first" | "last") {
    // Open towards the middle of the screen, so the menu is never cut off at the timeline's edge.
    const top = trigger.current?.getBoundingClientRect().top ?? 0;
    setAbove(top > window.innerHeight / 2);
    setOpen(start);
  }

  function close(returnFocus: boolean) {
    setOpen(null);
    if (returnFocus) trigger.current?.focus();
  }

  function onMenuKey(event: KeyboardEvent) {
    const items = menuItems(menu.current);
    const active = document.activeElement;
    const at = active instanceof HTMLElement ? items.indexOf(active) : -1;
    const moveTo = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[event.key];
    if (moveTo !== undefined) {
      event.preventDefault();
      items[(moveTo + items.length) % items.length]?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "Tab") {
      close(false);
    }
  }

  return (
    <div
      class={`action-menu${props.align === "end" ? " align-end" : ""}`}
      onFocusOut={(event) => {
        const next = event.relatedTarget;
        if (open && !(next instanceof Node && event.currentTarget.contains(next))) setOpen(null);
      }}
    >
      <button
        ref={trigger}
        type="button"
        class={props.class ?? "actions-button"}
        aria-label={props.label}
        aria-haspopup="menu"
        aria-expanded={open !== null}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : show("first"))}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            show(event.key === "ArrowDown" ? "first" : "last");
          }
        }}
      >
        {props.children ?? <span aria-hidden="true">⋯</span>}
      </button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={props.label}
          class={above ? "menu above" : "menu below"}
          onKeyDown={onMenuKey}
        >
          {props.actions.map((item) => {
            const run = () => {
              close(true);
              item.run();
            };
            return item.checked === undefined ? (
              <button key={item.label} type="button" role="menuitem" tabIndex={-1} onClick={run}>
                {item.label}
              </button>
            ) : (
              <button
                key={item.label}
                type="button"
                role="menuitemradio"
                aria-checked={item.checked}
                tabIndex={-1}
                onClick={run}
              >
                {item.label}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return menu ? [...menu.querySelectorAll<HTMLElement>('[role^="menuitem"]')] : [];
}
