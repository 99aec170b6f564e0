import type { Message, Receipt } from "../api/types";
import { asSentence, dayLabel, readableTimes, sameDay } from "../format";
import type { PendingSend } from "../state/timeline";
import { MessageItem, type Placement, Quote, type ReceiptLabel } from "./MessageItem";
import { MessageMedia } from "./MessageMedia";
import type { MessageContext } from "./message-context";
import { RichText } from "./RichText";

// The messages of a room (or of a thread): day separators, consecutive messages of one person
// grouped, our own on the right with their receipt (✓ sent, ✓✓ delivered, ✓✓ read in a direct
// room; "read by N" in a group), then our sends that wait for the server.

const GROUP_GAP_MS = 5 * 60 * 1000;

type Props = {
  messages: Message[];
  pending: PendingSend[];
  receipts: Map<string, Receipt>;
  ctx: MessageContext;
  placement: Extract<Placement, "timeline" | "thread-reply">;
  onRetry: (send: PendingSend) => void;
  onDiscard: (send: PendingSend) => void;
};

function receiptLabel(seq: number, props: Props): ReceiptLabel {
  const others = [...props.receipts.values()].filter((receipt) => receipt.userId !== props.ctx.me);
  const readers = others.filter((receipt) => receipt.readSeq >= seq).length;
  const delivered = others.some((receipt) => receipt.deliveredSeq >= seq);
  if (readers > 0) return { ticks: "✓✓", text: props.ctx.direct ? "Read" : `Read by ${readers}`, read: true };
  return delivered
    ? { ticks: "✓✓", text: "Delivered", read: false }
    : { ticks: "✓", text: "Sent", read: false };
}

/** Why a send was refused, as a sentence: "Not sent: You are muted in this room until 14:05." */
function notSent(send: PendingSend): string {
  return send.error ? `Not sent: ${asSentence(readableTimes(send.error))}` : "Not sent.";
}

export function MessageList(props: Props) {
  const { ctx } = props;
  const items: preact.JSX.Element[] = [];
  let previous: Message | null = null;
  // A call message is the room's, not something we said: our receipt stays on what we wrote.
  const lastOwnSeq = [...props.messages]
    .reverse()
    .find((message) => message.userId === ctx.me && message.call === null)?.seq;
  for (const message of props.messages) {
    if (!previous || !sameDay(previous.createdAt, message.createdAt)) {
      items.push(
        <li key={`day-${message.seq}`} class="day-separator">
          <span>{dayLabel(message.createdAt)}</span>
        </li>,
      );
    }
    const grouped =
      previous !== null &&
      previous.call === null && // a call message (an event, in MessageItem) groups with nothing
      message.call === null &&
      previous.userId === message.userId &&
      sameDay(previous.createdAt, message.createdAt) &&
      Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_GAP_MS &&
      message.replyTo === null;
    const own = message.userId === ctx.me;
    const receipt = own && message.seq === lastOwnSeq ? receiptLabel(message.seq, props) : null;
    items.push(
      <MessageItem
        key={message.seq}
        message={message}
        ctx={ctx}
        grouped={grouped}
        receipt={receipt}
        placement={props.placement}
      />,
    );
    previous = message;
  }
  for (const send of props.pending) {
    items.push(
      <li key={`pending-${send.clientId}`} class={`message own pending ${send.status}`}>
        <div class="bubble-wrap">
          {send.quote && <Quote quote={send.quote} ctx={ctx} />}
          <div class="bubble">
            <RichText text={send.body} />
            <MessageMedia attachments={send.attachments ?? []} onOpenImage={ctx.onOpenImage} />
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
