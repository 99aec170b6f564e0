import type { Message } from "../api/types";
import type { RoomState } from "../state/room";
import { authorName } from "../state/room";
import { ConfirmDialog } from "./ConfirmDialog";
import { ReportDialog } from "./ModerationDialogs";
import { RoomSettings } from "./RoomSettings";

// The dialogs an open room opens over itself, one at a time: deleting a message (asked first),
// reporting one, and the room's settings for its owners and admins.

export type RoomDialog =
  | { kind: "delete"; message: Message }
  | { kind: "report"; message: Message }
  | { kind: "settings" };

export function RoomDialogs(props: {
  dialog: RoomDialog | null;
  roomId: string;
  state: RoomState;
  /** Whether we may see the settings now (a role can change while they are open). */
  moderator: boolean;
  reportCount: number;
  onDelete: (message: Message) => void;
  onShowMessage: (seq: number) => void;
  onClose: () => void;
}) {
  const { dialog, state, onClose } = props;
  if (dialog?.kind === "delete") {
    return (
      <ConfirmDialog
        title="Delete message"
        message="Delete this message for everyone? This cannot be undone."
        confirm="Delete"
        onCancel={onClose}
        onConfirm={() => {
          onClose();
          props.onDelete(dialog.message);
        }}
      />
    );
  }
  if (dialog?.kind === "report") {
    return (
      <ReportDialog
        roomId={props.roomId}
        message={dialog.message}
        authorName={authorName(state, dialog.message.userId)}
        onClose={onClose}
      />
    );
  }
  if (dialog?.kind === "settings" && state.room && props.moderator) {
    return (
      <RoomSettings
        room={state.room}
        messages={state.timeline.messages}
        reportCount={props.reportCount}
        onShowMessage={(seq) => {
          onClose();
          props.onShowMessage(seq);
        }}
        onClose={onClose}
      />
    );
  }
  return null;
}
