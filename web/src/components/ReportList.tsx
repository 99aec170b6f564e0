import { useEffect, useRef, useState } from "preact/hooks";
import { messageAt, reports } from "../api/moderation";
import type { Message, Report, RoomDetail } from "../api/types";
import { timeAgo } from "../format";
import { useNames } from "../people/names";
import { useFetched } from "../room/use-fetched";
import { ModerationList } from "./RoomSettings";

// The reports of a room's messages, newest first, each with the message it is about. A message the
// timeline holds is shown in place ("Show in the timeline"); one further back is fetched and shown
// here by its number and text (jumping to it needs GET …/messages?around=, which is coming).

/** The reported messages the timeline has not loaded: fetched once each; null if not found. */
function useMissingMessages(roomId: string, seqs: number[], loaded: Map<number, Message>) {
  const [fetched, setFetched] = useState(new Map<number, Message | null>());
  const asked = useRef(new Set<number>());
  const wanted = [...new Set(seqs.filter((seq) => !loaded.has(seq)))].join(",");
  useEffect(() => {
    for (const seq of wanted.split(",").filter(Boolean).map(Number)) {
      if (asked.current.has(seq)) continue;
      asked.current.add(seq);
      messageAt(roomId, seq)
        .catch(() => null)
        .then((message) => setFetched((known) => new Map(known).set(seq, message)));
    }
  }, [roomId, wanted]);
  return fetched;
}

export function ReportList(props: {
  room: RoomDetail;
  messages: Message[];
  reportCount: number;
  onShowMessage: (seq: number) => void;
}) {
  const { room } = props;
  const list = useFetched(`reports:${room.id}:${props.reportCount}`, () => reports(room.id));
  const loaded = new Map(props.messages.map((message) => [message.seq, message]));
  const seqs = list.value?.map((report) => report.seq) ?? [];
  const fetched = useMissingMessages(room.id, seqs, loaded);
  const authors = seqs.map((seq) => (loaded.get(seq) ?? fetched.get(seq))?.userId ?? "");
  const reporters = list.value?.map((report) => report.reporterId) ?? [];
  const nameOf = useNames([...reporters, ...authors.filter(Boolean)], room.members);
  return (
    <ModerationList
      what="reports"
      empty="No messages in this room have been reported."
      error={list.error}
      rows={list.value?.map((report) => (
        <ReportItem
          key={report.id}
          report={report}
          inTimeline={loaded.get(report.seq)}
          fetched={fetched.get(report.seq)}
          nameOf={nameOf}
          onShow={props.onShowMessage}
        />
      ))}
    />
  );
}

function ReportItem(props: {
  report: Report;
  /** The message as the timeline holds it, if it does. */
  inTimeline: Message | undefined;
  /** Otherwise, as fetched: null if it could not be found; undefined while it loads. */
  fetched: Message | null | undefined;
  nameOf: (userId: string) => string;
  onShow: (seq: number) => void;
}) {
  const { report, inTimeline } = props;
  const message = inTimeline ?? props.fetched;
  return (
    <li class="report">
      <p class="report-line">
        <strong>
          <bdi>{props.nameOf(report.reporterId)}</bdi>
        </strong>{" "}
        reported message #{report.seq} ·{" "}
        <time dateTime={report.createdAt} title={new Date(report.createdAt).toLocaleString()}>
          {timeAgo(report.createdAt)}
        </time>
      </p>
      <p class="report-reason">
        Reason: “<bdi>{report.reason}</bdi>”
      </p>
      <ReportedMessage message={message} nameOf={props.nameOf} />
      {inTimeline ? (
        <button
          type="button"
          class="link-button"
          aria-label={`Show message #${report.seq} in the timeline`}
          onClick={() => props.onShow(report.seq)}
        >
          Show in the timeline
        </button>
      ) : (
        <p class="muted">
          Further back than the timeline has loaded: scroll up to #{report.seq} to see it in place.
        </p>
      )}
    </li>
  );
}

function ReportedMessage(props: { message: Message | null | undefined; nameOf: (userId: string) => string }) {
  const { message } = props;
  if (message === undefined) return <p class="quoted muted">Loading the message…</p>;
  if (message === null) return <p class="quoted muted">This message could not be found.</p>;
  return (
    <blockquote class="quoted">
      <strong>
        <bdi>{props.nameOf(message.userId)}</bdi>
      </strong>
      {message.deletedAt ? (
        <em class="quoted-text">This message was deleted</em>
      ) : (
        <span class="quoted-text">{message.body}</span>
      )}
    </blockquote>
  );
}
