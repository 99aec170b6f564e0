import { useEffect, useState } from "preact/hooks";

// Messages about what went wrong (or right) that belong to no form: a failed edit, a history page
// that did not load, a frame the room refused. They appear in the app's own region, as live regions
// that exist before anything is put in them, so screen readers announce each one: errors assertively
// (role=alert) and stay until dismissed, notices politely (role=status) and fade after a while.

type Toast = { id: number; kind: "error" | "notice"; text: string };

const NOTICE_MS = 5000;
const MOST_SHOWN = 3;

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<(toasts: Toast[]) => void>();

function publish(next: Toast[]): void {
  toasts = next;
  for (const listener of listeners) listener(toasts);
}

function dismiss(id: number): void {
  publish(toasts.filter((toast) => toast.id !== id));
}

function show(kind: Toast["kind"], text: string): void {
  const toast = { id: nextId++, kind, text };
  publish([...toasts, toast].slice(-MOST_SHOWN));
  if (kind === "notice") setTimeout(() => dismiss(toast.id), NOTICE_MS);
}

/** Shows what failed, e.g. "Could not delete the message: Only its author can delete it." */
export function showError(what: string, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  show("error", `${what}: ${reason}`);
}

export function showNotice(text: string): void {
  show("notice", text);
}

export function Toasts() {
  const [shown, setShown] = useState(toasts);
  useEffect(() => {
    listeners.add(setShown);
    return () => listeners.delete(setShown);
  }, []);
  const list = (kind: Toast["kind"]) =>
    shown
      .filter((toast) => toast.kind === kind)
      .map((toast) => (
        <div key={toast.id} class={`toast ${toast.kind}`}>
          <p>{toast.text}</p>
          <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
            ✕
          </button>
        </div>
      ));
  return (
    <div class="toasts">
      <div role="alert">{list("error")}</div>
      <div role="status">{list("notice")}</div>
    </div>
  );
}
