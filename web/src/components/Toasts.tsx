import { useEffect, useState } from "preact/hooks";
import { describeError } from "../format";
import type { Sentence as Words } from "../state/sentence";
import { Sentence } from "./Sentence";

// Messages about what went wrong (or right) that belong to no form: a failed edit, a history page
// that did not load, a frame the room refused. They appear in the app's own region, as live regions
// that exist before anything is put in them, so screen readers announce each one: errors assertively
// (role=alert) and stay until dismissed, notices politely (role=status) and fade after a while.
// Names in them are isolated like everywhere else (state/sentence.ts).

type Toast = { id: number; kind: "error" | "notice"; text: Words };

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

function show(kind: Toast["kind"], text: Words): void {
  const toast = { id: nextId++, kind, text };
  publish([...toasts, toast].slice(-MOST_SHOWN));
  if (kind === "notice") setTimeout(() => dismiss(toast.id), NOTICE_MS);
}

const words = (text: string | Words): Words => (typeof text === "string" ? [text] : text);

/** Shows what failed, e.g. "Could not delete the message: Only its author can delete it." */
export function showError(what: string | Words, error: unknown): void {
  show("error", [...words(what), `: ${describeError(error)}`]);
}

export function showNotice(text: string | Words): void {
  show("notice", words(text));
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
          <p>
            <Sentence words={toast.text} />
          </p>
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
