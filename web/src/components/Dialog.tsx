import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef } from "preact/hooks";

// A modal on the native <dialog>: focus is trapped and Escape closes it, as the platform does. The
// app removes a closed dialog rather than closing it, so the platform cannot give the focus back:
// the dialog does that itself, to whatever had it before (if that is still on the page).

export function Dialog(props: {
  /** The heading, which also names the dialog: names in it go in <bdi>. */
  title: ComponentChildren;
  onClose: () => void;
  role?: "dialog" | "alertdialog";
  /** The id of the text that says what the dialog is about. */
  describedBy?: string;
  /** A wider dialog, for lists and tables (the room settings). */
  wide?: boolean;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const opener = document.activeElement;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // The platform focuses the first button (Close); a dialog may name a better start.
    dialog?.querySelector<HTMLElement>("[data-initial-focus]")?.focus();
    return () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={props.wide ? "dialog wide" : "dialog"}
      aria-labelledby={headingId}
      role={props.role}
      aria-describedby={props.describedBy}
      onClose={props.onClose}
    >
      <header class="dialog-header">
        <h2 id={headingId}>{props.title}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={props.onClose}>
          ✕
        </button>
      </header>
      <div class="dialog-body">{props.children}</div>
    </dialog>
  );
}
