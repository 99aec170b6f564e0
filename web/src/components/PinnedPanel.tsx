import { useEffect, useState } from "preact/hooks";
import { answer } from "../api/answers";
import { api, roomParam } from "../api/client";
import type { Message } from "../api/types";
import { clockTime, dayLabel } from "../format";
import type { MessageContext } from "./message-context";
import { RichText } from "./RichText";

// The room's pinned messages (GET …/pins, newest pin first), beside the room. Each one can be shown
// where it was said; owners and admins (anyone in a direct room) unpin from here too. The list is
// asked for again whenever a pin changes in the timeline (`pinsVersion`).

export function PinnedPanel(props: {
  roomId: string;
  pinsVersion: string;
  ctx: MessageContext;
  onClose: () => void;
}) {
  const { ctx } = props;
  const [pins, setPins] = useState<Message[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    answer(api.rooms[":roomId"].pins.$get({ param: roomParam(props.roomId) }))
      .then((list) => setPins(list.messages))
      .catch((failure) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, [props.roomId, props.pinsVersion]);
  return (
    <aside class="side-panel" aria-label="Pinned messages">
      <header class="panel-header">
        <h2>Pinned messages</h2>
        <button type="button" class="icon-button" aria-label="Close pinned messages" onClick={props.onClose}>
          ✕
        </button>
      </header>
      {error && (
        <p class="form-error pad" role="alert">
          {error}
        </p>
      )}
      {pins === null && !error && <p class="muted pad">Loading…</p>}
      {pins?.length === 0 && (
        <p class="muted pad">Nothing is pinned yet. Pin a message from its actions menu.</p>
      )}
      <ul class="pinned-list">
        {pins?.map((message) => (
          <li key={message.seq} class="pinned">
            <p class="pinned-meta">
              <strong>
                <bdi>{message.userId === ctx.me ? "You" : ctx.nameOf(message.userId)}</bdi>
              </strong>{" "}
              <span class="muted">
                {dayLabel(message.createdAt)}, {clockTime(message.createdAt)}
              </span>
            </p>
            <div class="pinned-body">
              <RichText text={message.body} />
            </div>
            <div class="pinned-actions">
              <button type="button" class="link-button" onClick={() => ctx.onJump(message.seq)}>
                Show in the room
              </button>
              {ctx.canPin && (
                <button type="button" class="link-button" onClick={() => ctx.onPin(message, false)}>
                  Unpin
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </aside>
  );
}
