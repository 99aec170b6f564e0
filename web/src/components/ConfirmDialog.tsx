import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";
import { Dialog } from "./Dialog";

// "Are you sure?" in the app's own dialog: the safe choice has the focus, Escape cancels, and the
// focus goes back where it was (see Dialog).

export function ConfirmDialog(props: {
  title: ComponentChildren;
  message: ComponentChildren;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const messageId = useId();
  return (
    <Dialog title={props.title} onClose={props.onCancel} role="alertdialog" describedBy={messageId}>
      <p id={messageId}>{props.message}</p>
      <div class="dialog-actions">
        <button type="button" data-initial-focus onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={props.onConfirm}>
          {props.confirm}
        </button>
      </div>
    </Dialog>
  );
}
