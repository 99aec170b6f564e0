import type { Member, Message, Receipt } from "../api/types";
import { asSentence, clockTime, dayLabel, readableTimes, sameDay } from "../format";
import type { PendingSend } from "../state/timeline";
import { ActionMenu, type MenuAction } from "./ActionMenu";
import { Avatar } from "./Avatar";
import { CallEvent } from "./CallEvent";
import { RichText } from "./RichText";

// The messages of a room: day separators, consecutive messages of one person grouped, our own on
// the right with their receipt (✓ sent, ✓✓ delivered, ✓✓ read in a direct room; "read by N" in a group).

const GROUP_GAP_MS = 5 * 60 * 1000;

type Props = {
  messages: Message[];
  pending: PendingSend[];
  me: string;
  members: Map<string, Member>;
  receipts: Map<string, Receipt>;
  direct: boolean;
  canModerate: boolean;
  onEdit: (message: Message) => void;
  onDelete: (message: Message) => void;
  onReport: (message: Message) => void;
  onRetry: (send: PendingSend) => void;
  onDiscard: (send: PendingSend) => void;
};

type ReceiptLabel = { ticks: "✓" | "✓✓"; text: string; read: boolean };

function receiptLabel(seq: number, props: Props): ReceiptLabel {
  const others = [...props.receipts.values()].filter((receipt) => receipt.userId !== props.me);
  const readers = others.filter((receipt) => receipt.readSeq >= seq).length;
  const delivered = others.some((receipt) => receipt.deliveredSeq >= seq);
  if (readers > 0) return { ticks: "✓✓", text: props.direct ? "Read" : `Read by ${readers}`, read: true };
  return delivered
    ? { ticks: "✓✓", text: "Delivered", read: false }
    : { ticks: "✓", text: "Sent", read: false };
}

/**
 * Edit and delete your own; report anyone else's to the room's owners and admins (not in a direct
 * room, which has none: blocking is the answer there), who also delete anyone's. A deleted message
 * has no actions.
 */
function actionsFor(message: Message, own: boolean, props: Props): MenuAction[] {
  if (message.deletedAt !== null) return [];
  const remove = { label: "Delete", run: () => props.onDelete(message) };
  if (own) return [{ label: "Edit", run: () => props.onEdit(message) }, remove];
  const report = { label: "Report…", run: () => props.onReport(message) };
  return [...(props.direct ? [] : [report]), ...(props.canModerate ? [remove] : [])];
}

/** Why a send was refused, as a sentence: "Not sent: You are muted in this room until 14:05." */
function notSent(send: PendingSend): string {
  return send.error ? `Not sent: ${asSentence(readableTimes(send.error))}` : "Not sent.";
}

export function MessageList(props: Props) {
  const items: preact.JSX.Element[] = [];
  let previous: Message | null = null;
  const lastOwnSeq = [...props.messages]
    .reverse()
    .find((message) => message.userId === props.me && message.call === null)?.seq;
  for (const message of props.messages) {
    if (!previous || !sameDay(previous.createdAt, message.createdAt)) {
      items.push(
        <li key={`day-${message.seq}`} class="day-separator">
          <span>{dayLabel(message.createdAt)}</span>
        </li>,
      );
    }
    if (message.call) {
      // A finished call is an event of the room, not something someone said.
      items.push(
        <CallEvent
          key={message.seq}
          message={message}
          call={message.call}
          me={props.me}
          members={props.members}
        />,
      );
      previous = message;
      continue;
    }
    const grouped =
      previous !== null &&
      previous.call === null &&
      previous.userId === message.userId &&
      sameDay(previous.createdAt, message.createdAt) &&
      Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_GAP_MS;
    const own = message.userId === props.me;
    const author = props.members.get(message.userId);
    const name = own ? "You" : (author?.displayName ?? "Former member");
    const deleted = message.deletedAt !== null;
    const receipt = own && message.seq === lastOwnSeq ? receiptLabel(message.seq, props) : null;
    const actions = actionsFor(message, own, props);
    items.push(
      <li
        key={message.seq}
        class={`message${own ? " own" : ""}${grouped ? " grouped" : ""}`}
        data-seq={message.seq}
        aria-label={`${name} at ${clockTime(message.createdAt)}`}
        // Focusable from the room settings' list of reports, which shows a reported message here.
        tabIndex={-1}
      >
        {!own && !grouped && <Avatar name={name} id={message.userId} />}
        <div class="bubble-wrap">
          {!grouped && (
            <div class="message-meta">
              <span class="author">
                <bdi>{name}</bdi>
              </span>
              <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
            </div>
          )}
          <div class="bubble-row">
            <div class={deleted ? "bubble deleted" : "bubble"}>
              {deleted ? <em>This message was deleted</em> : <RichText text={message.body} />}
              {message.editedAt && !deleted && <span class="edited"> (edited)</span>}
            </div>
            {actions.length > 0 && <ActionMenu label="Message actions" actions={actions} />}
          </div>
          {receipt && (
            // The ticks are for the eye; a screen reader hears the word ("Read by 2").
            <div class={receipt.read ? "receipt read" : "receipt"}>
              <span aria-hidden="true">{receipt.ticks}</span> {receipt.text}
            </div>
          )}
        </div>
      </li>,
    );
    previous = message;
  }
  for (const send of props.pending) {
    items.push(
      <li key={`pending-${send.clientId}`} class={`message own pending ${send.status}`}>
        <div class="bubble-wrap">
          <div class="bubble">
            <RichText text={send.body} />
          </div>
          {send.status === "sending" ? (
            <div class="receipt">Sending…</div>
          ) : (
            <div class="receipt failed" role="alert">
              {notSent(send)}{" "}
              <button type="button" class="link-button" onClick={() => props.onRetry(send)}>
                Retry
              </button>{" "}
              <button type="button" class="link-button" onClick={() => props.onDiscard(send)}>
                Discard
              </button>
            </div>
          )}
        </div>
      </li>,
    );
  }
  return <ol class="messages">{items}</ol>;
}
