import type { Message } from "../api/types";
import { whoReacted } from "../state/reactions";
import type { MessageContext } from "./message-context";

// The reactions under a message: one toggle per emoji with its count (yours pressed and
// highlighted), who reacted on hover and on keyboard focus, and a button to add another.

export function Reactions(props: { message: Message; ctx: MessageContext }) {
  const { message, ctx } = props;
  if (message.reactions.length === 0 || message.deletedAt) return null;
  return (
    <ul class="reactions" aria-label="Reactions">
      {message.reactions.map((reaction) => {
        const mine = reaction.userIds.includes(ctx.me);
        const who = whoReacted(reaction.userIds, ctx.me, ctx.nameOf, reaction.count);
        const tipId = `reaction-tip-${message.seq}-${reaction.emoji}`;
        return (
          <li key={reaction.emoji} class="reaction-item">
            <button
              type="button"
              class={mine ? "reaction mine" : "reaction"}
              aria-pressed={mine}
              aria-label={`${reaction.emoji} ${reaction.count}`}
              aria-describedby={tipId}
              onClick={() => ctx.onReact(message, reaction.emoji, !mine)}
            >
              <span aria-hidden="true">{reaction.emoji}</span>
              <span class="reaction-count" aria-hidden="true">
                {reaction.count}
              </span>
            </button>
            <span role="tooltip" id={tipId} class="reaction-tip">
              {who} reacted with {reaction.emoji}
            </span>
          </li>
        );
      })}
      <li class="reaction-item">
        <button
          type="button"
          class="reaction add"
          aria-label="Add reaction"
          onClick={(event) => ctx.onPickReaction(message, event.currentTarget)}
        >
          <span aria-hidden="true">☺︎+</span>
        </button>
      </li>
    </ul>
  );
}
