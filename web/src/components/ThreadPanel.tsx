import type { Receipt } from "../api/types";
import { useScrollAnchor } from "../room/use-scroll-anchor";
import { draftPlace } from "../state/drafts";
import type { ThreadReplies } from "../state/threads";
import type { PendingSend } from "../state/timeline";
import { Composer, type ComposerProps } from "./Composer";
import { MessageItem } from "./MessageItem";
import { MessageList } from "./MessageList";
import type { MessageContext } from "./message-context";
import { showError } from "./Toasts";

// A thread beside the room (the whole screen on a phone): its root, its replies (older ones load
// as you scroll up) and a composer of its own whose messages go into the thread.

export function ThreadPanel(props: {
  roomId: string;
  rootSeq: number;
  thread: ThreadReplies | undefined;
  pending: PendingSend[];
  receipts: Map<string, Receipt>;
  ctx: MessageContext;
  composer: Pick<ComposerProps, "members" | "canMentionRoom" | "onTyping">;
  loadingOlder: boolean;
  /** Loads older replies; `beforePrepend` keeps what is on screen where it is. */
  onLoadOlder: (beforePrepend: () => void) => Promise<void>;
  onSend: (body: string) => void;
  onRetry: (send: PendingSend) => void;
  onDiscard: (send: PendingSend) => void;
  onClose: () => void;
}) {
  const { thread, ctx } = props;
  const replies = thread?.messages ?? [];
  const pending = props.pending.filter((send) => send.threadSeq === props.rootSeq);
  const anchor = useScrollAnchor(
    `${replies.length}:${replies.at(-1)?.seq}:${pending.length}:${thread?.root ? 1 : 0}`,
  );
  const count = thread?.root?.thread?.replyCount ?? replies.length;
  return (
    <aside class="side-panel thread-panel" aria-label="Thread">
      <header class="panel-header">
        <h2>Thread</h2>
        <button type="button" class="icon-button" aria-label="Close the thread" onClick={props.onClose}>
          ✕
        </button>
      </header>
      <section
        class="thread-scroll"
        aria-label="Replies"
        ref={anchor.scroller}
        onScroll={() => {
          if (anchor.scrolled().nearTop)
            props
              .onLoadOlder(anchor.keepPosition)
              .catch((error) => showError("Could not load older replies", error));
        }}
      >
        {!thread?.root && <p class="muted center">Loading the thread…</p>}
        {thread?.root && (
          <ol class="messages thread-root">
            <MessageItem
              message={thread.root}
              ctx={ctx}
              grouped={false}
              receipt={null}
              placement="thread-root"
            />
          </ol>
        )}
        {thread?.root && (
          <p class="thread-divider">
            <span>{count === 0 ? "No replies yet" : `${count} ${count === 1 ? "reply" : "replies"}`}</span>
          </p>
        )}
        {thread?.hasOlder && (
          <p class="muted center">{props.loadingOlder ? "Loading older replies…" : " "}</p>
        )}
        <MessageList
          messages={replies}
          pending={pending}
          receipts={props.receipts}
          ctx={ctx}
          placement="thread-reply"
          onRetry={props.onRetry}
          onDiscard={props.onDiscard}
        />
      </section>
      <Composer
        inputId="thread-composer-input"
        label="Reply in thread"
        draftPlace={draftPlace(props.roomId, props.rootSeq)}
        me={ctx.me}
        nameOf={ctx.nameOf}
        members={props.composer.members}
        canMentionRoom={props.composer.canMentionRoom}
        onTyping={props.composer.onTyping}
        onSend={(body) => {
          anchor.followNewest();
          props.onSend(body);
        }}
      />
    </aside>
  );
}
