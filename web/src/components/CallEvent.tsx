import { type CallSummary, isMissedCall, type Member, type Message } from "../api/types";
import { clockTime } from "../format";
import { callMessageText } from "../state/call";
import { PhoneIcon } from "./CallIcons";
import "../call/call.css";

// A finished call in the timeline: how long it went and who was in it, or that it was missed.

export function CallEvent(props: {
  message: Message;
  call: CallSummary;
  me: string;
  members: Map<string, Member>;
}) {
  const { message, call } = props;
  const text = callMessageText(call, message.userId, props.me, props.members);
  return (
    <li class={`call-event${isMissedCall(call) ? " missed" : ""}`} data-seq={message.seq}>
      <span>
        <PhoneIcon size={14} /> {text} ·{" "}
        <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
      </span>
    </li>
  );
}
