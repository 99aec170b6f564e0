import type { ComponentChildren } from "preact";
import { useId, useState } from "preact/hooks";
import { describeError } from "../format";
import { Dialog } from "./Dialog";

// A dialog that asks for a few things and then does one (ban, mute, report). It stays open until
// the server has answered: a refusal is said inside it, where the focus is (the page behind a modal
// dialog is inert, so a toast there would not even be announced), and the person can change their
// answer or cancel. Success closes it; the caller says what happened.

export function FormDialog(props: {
  title: ComponentChildren;
  /** What the dialog is about, read out when it opens. */
  intro: ComponentChildren;
  submit: string;
  busy: string;
  danger?: boolean;
  /** Does the thing; throws to refuse (a message of its own, or the server's ApiError). */
  onSubmit: () => Promise<void>;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const introId = useId();

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit();
      props.onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog title={props.title} onClose={props.onClose} describedBy={introId}>
      <form class="stack" onSubmit={submit} noValidate>
        <p id={introId} class="dialog-intro">
          {props.intro}
        </p>
        {props.children}
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class={props.danger ? "primary danger-fill" : "primary"} disabled={busy}>
            {busy ? props.busy : props.submit}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
