import { useState } from "preact/hooks";
import { ban, mute, reportMessage } from "../api/moderation";
import type { Member, Message } from "../api/types";
import { BAN_LENGTHS, type Length, MUTE_LENGTHS } from "../state/moderation";
import { FormDialog } from "./FormDialog";
import { showNotice } from "./Toasts";

// The dialogs that ask before acting on someone: ban (a reason and how long), mute (how long), and
// report a message (why). Each says what happened in a notice once the server agreed.

const QUOTE_CHARS = 200;

function LengthChoice(props: {
  name: string;
  legend: string;
  lengths: Length[];
  chosen: number | null;
  onChoose: (minutes: number | null) => void;
  /** The dialog starts here (the chosen length) when it asks nothing else. */
  initialFocus?: boolean;
}) {
  return (
    <fieldset class="choices">
      <legend>{props.legend}</legend>
      {props.lengths.map((length) => (
        <label key={length.label}>
          <input
            type="radio"
            name={props.name}
            checked={props.chosen === length.minutes}
            data-initial-focus={props.initialFocus && props.chosen === length.minutes ? true : undefined}
            onChange={() => props.onChoose(length.minutes)}
          />{" "}
          {length.label}
        </label>
      ))}
    </fieldset>
  );
}

const labelOf = (lengths: Length[], minutes: number | null) =>
  lengths.find((length) => length.minutes === minutes)?.label.toLowerCase() ?? "";

export function BanDialog(props: { roomId: string; roomName: string; member: Member; onClose: () => void }) {
  const { member } = props;
  const [reason, setReason] = useState("");
  const [minutes, setMinutes] = useState<number | null>(1440);
  const name = { typed: member.displayName };
  return (
    <FormDialog
      title={
        <>
          Ban <bdi>{member.displayName}</bdi>
        </>
      }
      intro={
        <>
          <bdi>{member.displayName}</bdi> leaves # <bdi>{props.roomName}</bdi> at once and cannot join again
          or be added until the ban ends. Only the room's owners and admins see the reason.
        </>
      }
      submit="Ban"
      busy="Banning…"
      danger
      onClose={props.onClose}
      onSubmit={async () => {
        await ban(props.roomId, member.userId, reason.trim(), minutes);
        const how =
          minutes === null ? " until someone lifts the ban." : ` for ${labelOf(BAN_LENGTHS, minutes)}.`;
        showNotice([name, " is banned from the room", how]);
      }}
    >
      <label for="ban-reason">Reason (optional)</label>
      <textarea
        id="ban-reason"
        data-initial-focus
        rows={2}
        maxLength={500}
        value={reason}
        onInput={(event) => setReason(event.currentTarget.value)}
      />
      <LengthChoice
        name="ban-length"
        legend="For how long"
        lengths={BAN_LENGTHS}
        chosen={minutes}
        onChoose={setMinutes}
      />
    </FormDialog>
  );
}

export function MuteDialog(props: { roomId: string; member: Member; onClose: () => void }) {
  const { member } = props;
  const [minutes, setMinutes] = useState<number>(10);
  return (
    <FormDialog
      title={
        <>
          Mute <bdi>{member.displayName}</bdi>
        </>
      }
      intro={
        <>
          <bdi>{member.displayName}</bdi> can still read the room, but cannot send, edit or react until the
          mute ends.
        </>
      }
      submit="Mute"
      busy="Muting…"
      onClose={props.onClose}
      onSubmit={async () => {
        await mute(props.roomId, member.userId, minutes);
        showNotice([{ typed: member.displayName }, ` is muted for ${labelOf(MUTE_LENGTHS, minutes)}.`]);
      }}
    >
      <LengthChoice
        name="mute-length"
        legend="For how long"
        lengths={MUTE_LENGTHS}
        chosen={minutes}
        onChoose={(chosen) => setMinutes(chosen ?? 10)}
        initialFocus
      />
    </FormDialog>
  );
}

export function ReportDialog(props: {
  roomId: string;
  message: Message;
  authorName: string;
  onClose: () => void;
}) {
  const { message } = props;
  const [reason, setReason] = useState("");
  const quoted =
    [...message.body].length > QUOTE_CHARS
      ? `${[...message.body].slice(0, QUOTE_CHARS).join("")}…`
      : message.body;
  return (
    <FormDialog
      title="Report message"
      intro="Tell the room's owners and admins what is wrong with this message. They will see that you reported it."
      submit="Report"
      busy="Reporting…"
      onClose={props.onClose}
      onSubmit={async () => {
        if (!reason.trim()) throw new Error("Say what is wrong with the message.");
        await reportMessage(props.roomId, message.seq, reason.trim());
        showNotice("Thank you: the room's owners and admins have been told.");
      }}
    >
      <blockquote class="quoted">
        <strong>
          <bdi>{props.authorName}</bdi>
        </strong>
        <span class="quoted-text">{quoted}</span>
      </blockquote>
      <label for="report-reason">Reason</label>
      <textarea
        id="report-reason"
        data-initial-focus
        rows={3}
        maxLength={500}
        required
        value={reason}
        onInput={(event) => setReason(event.currentTarget.value)}
      />
    </FormDialog>
  );
}
