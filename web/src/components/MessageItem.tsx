import type { Message } from "../api/types";
import { clockTime, timeAgo } from "../format";
import { isThreadUnread } from "../state/threads";
import { mentionKind } from "../text/mentions";
import { ActionMenu, type MenuAction } from "./ActionMenu";
import { Avatar } from "./Avatar";
import { CallEvent } from "./CallEvent";
import { LinkCard } from "./LinkCard";
import { MessageMedia } from "./MessageMedia";
import type { MessageContext } from "./message-context";
import { Reactions } from "./Reactions";
import { RichText } from "./RichText";

// One message: who and when, what it quotes, its text as formatted, whether it is pinned, its
// reactions, its thread's counters (on a root), and its actions menu.

export type ReceiptLabel = { ticks: "✓" | "✓✓"; text: string; read: boolean };

/** Where a message is shown: the main timeline, or a thread panel (its root, or a reply). */
export type Placement = "timeline" | "thread-root" | "thread-reply";

function actionsFor(message: Message, ctx: MessageContext, placement: Placement): MenuAction[] {
  if (message.deletedAt !== null) return [];
  const own = message.userId === ctx.me;
  const items: MenuAction[] = [
    { label: "Add reaction", run: () => ctx.onPickReaction(message, activeElement()) },
  ];
  if (placement === "timeline") {
    items.push({ label: "Reply", run: () => ctx.onQuote(message) });
    items.push({ label: "Reply in thread", run: () => ctx.onOpenThread(message) });
  }
  if (ctx.canPin && placement !== "thread-reply")
    items.push(
      message.pinnedAt
        ? { label: "Unpin", run: () => ctx.onPin(message, false) }
        : { label: "Pin", run: () => ctx.onPin(message, true) },
    );
  // Report anyone else's to the room's owners and admins (not in a direct room, which has none:
  // blocking is the answer there), who also delete anyone's.
  if (own) items.push({ label: "Edit", run: () => ctx.onEdit(message) });
  if (!own && !ctx.direct) items.push({ label: "Report…", run: () => ctx.onReport(message) });
  if (own || ctx.canModerate) items.push({ label: "Delete", run: () => ctx.onDelete(message) });
  return items;
}

/** The menu gives the focus back to its button before running an item: that is the opener. */
function activeElement(): HTMLElement | null {
  return document.activeElement instanceof HTMLElement ? document.activeElement : null;
}

export function MessageItem(props: {
  message: Message;
  ctx: MessageContext;
  grouped: boolean;
  receipt: ReceiptLabel | null;
  placement: Placement;
}) {
  const { message, ctx, grouped, receipt, placement } = props;
  // A finished call is an event of the room, not something someone said: no bubble, no actions.
  if (message.call)
    return <CallEvent message={message} call={message.call} me={ctx.me} members={ctx.members} />;
  const own = message.userId === ctx.me;
  const name = own ? "You" : ctx.nameOf(message.userId);
  const deleted = message.deletedAt !== null;
  const actions = actionsFor(message, ctx, placement);
  const mentionsMe = message.mentions.includes(ctx.me) && !own;
  const classes = [
    "message",
    own && "own",
    grouped && "grouped",
    mentionsMe && "mentions-me",
    ctx.highlighted === message.seq && "highlighted",
  ].filter(Boolean);
  const mentionStyle = (username: string) =>
    mentionKind(username, {
      me: ctx.me,
      myUsername: ctx.myUsername,
      mentions: message.mentions,
      members: [...ctx.members.values()],
    });
  return (
    <li
      class={classes.join(" ")}
      id={placement === "thread-reply" ? undefined : `message-${message.seq}`}
      data-seq={message.seq}
      aria-label={`${name} at ${clockTime(message.createdAt)}${message.pinnedAt ? ", pinned" : ""}`}
      tabIndex={-1}
    >
      {!own && !grouped && (
        <Avatar name={name} id={message.userId} url={ctx.members.get(message.userId)?.avatarUrl} />
      )}
      <div class="bubble-wrap">
        {!grouped && (
          <div class="message-meta">
            <span class="author">
              <bdi>{name}</bdi>
            </span>
            <time dateTime={message.createdAt}>{clockTime(message.createdAt)}</time>
          </div>
        )}
        {message.replyTo && <Quote quote={message.replyTo} ctx={ctx} />}
        <div class="bubble-row">
          <div class={deleted ? "bubble deleted" : message.body === "" ? "bubble files-only" : "bubble"}>
            {deleted ? (
              <em>This message was deleted</em>
            ) : (
              <RichText text={message.body} mentionStyle={mentionStyle} />
            )}
            {message.editedAt && !deleted && <span class="edited"> (edited)</span>}
            <MessageMedia attachments={message.attachments ?? []} onOpenImage={ctx.onOpenImage} />
            {message.linkPreview && (
              <LinkCard
                preview={message.linkPreview}
                onRemove={own ? () => ctx.onRemovePreview(message) : undefined}
              />
            )}
          </div>
          {actions.length > 0 && (
            <ActionMenu label="Message actions" actions={actions} align={own ? "end" : "start"}>
              <span aria-hidden="true">⋯</span>
            </ActionMenu>
          )}
        </div>
        {message.pinnedAt && !deleted && (
          <p class="pinned-marker">
            <span aria-hidden="true">📌</span> Pinned
            {message.pinnedBy
              ? ` by ${message.pinnedBy === ctx.me ? "You" : ctx.nameOf(message.pinnedBy)}`
              : ""}
          </p>
        )}
        <Reactions message={message} ctx={ctx} />
        {placement === "timeline" && message.thread && <ThreadSummary root={message} ctx={ctx} />}
        {receipt && (
          // The ticks are for the eye; a screen reader hears the word ("Read by 2").
          <div class={receipt.read ? "receipt read" : "receipt"}>
            <span aria-hidden="true">{receipt.ticks}</span> {receipt.text}
          </div>
        )}
      </div>
    </li>
  );
}

/** A quoted message, as it is now: a deleted one says so. Activating it jumps to the original. */
export function Quote(props: { quote: NonNullable<Message["replyTo"]>; ctx: MessageContext }) {
  const { quote, ctx } = props;
  const author = quote.userId === ctx.me ? "You" : ctx.nameOf(quote.userId);
  return (
    <button
      type="button"
      class="quote"
      aria-label={`Quoting ${author}: ${quote.body || "a deleted message"}. Show the original`}
      onClick={() => ctx.onJump(quote.seq)}
    >
      <span class="quote-author">
        <bdi>{author}</bdi>
      </span>
      <span class="quote-body">{quote.body || <em>This message was deleted</em>}</span>
    </button>
  );
}

/** "3 replies · last 2m ago", with the avatars of who took part; a dot when there is news for you. */
function ThreadSummary(props: { root: Message; ctx: MessageContext }) {
  const { root, ctx } = props;
  const thread = root.thread;
  if (!thread) return null;
  const unread = isThreadUnread(root, ctx.me, ctx.threadsSeen.get(root.seq));
  const replies = `${thread.replyCount} ${thread.replyCount === 1 ? "reply" : "replies"}`;
  const last = timeAgo(thread.lastReplyAt);
  return (
    <button
      type="button"
      class={unread ? "thread-summary unread" : "thread-summary"}
      onClick={() => ctx.onOpenThread(root)}
      aria-label={`${replies}, last ${last}${unread ? ", new replies" : ""}. Open the thread`}
    >
      <span class="thread-avatars" aria-hidden="true">
        {thread.participantIds.slice(0, 3).map((userId) => (
          <Avatar
            key={userId}
            name={ctx.nameOf(userId)}
            id={userId}
            url={ctx.members.get(userId)?.avatarUrl}
          />
        ))}
      </span>
      <span class="thread-count">{replies}</span>
      <span class="muted">· last {last}</span>
      {unread && (
        <span class="thread-new-label" aria-hidden="true">
          · new
        </span>
      )}
    </button>
  );
}
