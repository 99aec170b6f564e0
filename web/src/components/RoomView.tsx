import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Session } from "../api/session";
import type { Attachment, Member, Message, RoomDetail, RoomSummary } from "../api/types";
import { calls, useCalls } from "../call/calls";
import { useJump } from "../room/use-jump";
import { useMessageActions } from "../room/use-message-actions";
import { useNewerHistory } from "../room/use-newer-history";
import { useOlderHistory } from "../room/use-older-history";
import { useReadMarker } from "../room/use-read-marker";
import { useRoom } from "../room/use-room";
import { useScrollAnchor } from "../room/use-scroll-anchor";
import { useThread } from "../room/use-thread";
import { useUploads } from "../room/use-uploads";
import { navigate } from "../router";
import { draftPlace } from "../state/drafts";
import { browserStorage } from "../state/kept";
import { canModerate } from "../state/moderation";
import { recentEmoji } from "../state/recent-emoji";
import { isOnline, typingLine } from "../state/room";
import type { JumpTarget } from "../state/search";
import { newestShownSeq, shownMessages } from "../state/timeline";
import { CallButtons } from "./CallButtons";
import { CallView } from "./CallView";
import { Composer } from "./Composer";
import { EmojiPicker } from "./EmojiPicker";
import { MemberPanel } from "./MemberPanel";
import { MessageList } from "./MessageList";
import { ImageViewer } from "./MessageMedia";
import type { MessageContext } from "./message-context";
import { PeerPanel } from "./PeerPanel";
import { PinnedPanel } from "./PinnedPanel";
import { type RoomDialog, RoomDialogs } from "./RoomDialogs";
import { type HeaderPanel, type NotifyLevel, RoomHeader } from "./RoomHeader";
import { Sentence } from "./Sentence";
import { ThreadPanel } from "./ThreadPanel";
import { showError } from "./Toasts";

// One open room, put together from its parts: the state (state/room.ts) and the hooks in room/
// (loading and the live socket, paging both ways, jumping to a message, scrolling, the read
// marker, threads, message actions) and its dialogs (delete, report, settings). One side panel at a
// time: people, pins or a thread.

type Panel = HeaderPanel | "thread";
type Picking = { message: Message; opener: HTMLElement | null; recent: string[] };

export function RoomView(props: {
  roomId: string;
  session: Session;
  summary: RoomSummary | undefined;
  /** A search result to show: jumped to once the room has opened, as to a quote or a pin. */
  jumpTo: JumpTarget | null;
  /** The result was shown: coming back to the room later opens it at its newest messages. */
  onJumped: () => void;
  onRead: (roomId: string, seq: number) => void;
  onNotify: (roomId: string, level: NotifyLevel) => void;
  /** How many reports of this room's messages arrived live (the settings' list follows them). */
  reportCount: number;
}) {
  const me = props.session.user.id;
  const open = useRoom(props.roomId, me);
  const { state } = open;
  const [editing, setEditing] = useState<Message | null>(null);
  const [dialog, setDialog] = useState<RoomDialog | null>(null);
  const [quoting, setQuoting] = useState<Message | null>(null);
  const [picking, setPicking] = useState<Picking | null>(null);
  const [panel, setPanel] = useState<Panel | null>(null);
  const [threadSeq, setThreadSeq] = useState<number | null>(null);
  const anchor = useScrollAnchor(state.timeline, state.timeline.gapAfter);
  const [viewing, setViewing] = useState<{ images: Attachment[]; index: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const uploads = useUploads(props.roomId);
  const older = useOlderHistory({
    roomId: props.roomId,
    latest: open.latest,
    dispatch: open.dispatch,
    beforePrepend: anchor.keepPosition,
  });
  const newer = useNewerHistory({ roomId: props.roomId, latest: open.latest, dispatch: open.dispatch });
  const jump = useJump({
    roomId: props.roomId,
    latest: open.latest,
    dispatch: open.dispatch,
    reveal: anchor.reveal,
  });
  useSearchJump(props.jumpTo, state.room !== null, (seq) => {
    props.onJumped();
    void jump.jumpTo(seq);
  });
  const actions = useMessageActions(open, props.roomId);
  const thread = useThread({
    roomId: props.roomId,
    me,
    rootSeq: panel === "thread" ? threadSeq : null,
    state,
    latest: open.latest,
    dispatch: open.dispatch,
  });
  useReadMarker({
    roomId: props.roomId,
    newestSeq: newestShownSeq(state.timeline),
    connection: state.connection,
    send: open.socket.send,
    onRead: props.onRead,
  });
  const call = useCalls();
  const members = state.room?.members ?? [];
  const membersById = useMemo(
    () => new Map<string, Member>(members.map((member) => [member.userId, member])),
    [members],
  );
  const moderator = canModerate(state.room);
  const direct = state.room?.kind === "direct";
  const togglePanel = useCallback(
    (next: Panel) => setPanel((current) => (current === next ? null : next)),
    [],
  );

  const ctx: MessageContext = {
    me,
    myUsername: props.session.user.username,
    members: membersById,
    direct,
    canModerate: moderator,
    canPin: direct || moderator,
    threadsSeen: thread.seen,
    highlighted: jump.highlighted,
    nameOf: (userId) => membersById.get(userId)?.displayName ?? "Former member",
    onEdit: setEditing,
    onDelete: (message) => setDialog({ kind: "delete", message }),
    onReport: (message) => setDialog({ kind: "report", message }),
    onReact: (message, emoji, on) => void actions.react(message, emoji, on),
    onPickReaction: (message, opener) =>
      setPicking({ message, opener, recent: recentEmoji(browserStorage(), me) }),
    onQuote: (message) => {
      setEditing(null);
      setQuoting(message);
    },
    onOpenThread: (message) => {
      setThreadSeq(message.seq);
      setPanel("thread");
    },
    onPin: (message, pinned) => void actions.pin(message, pinned),
    onJump: (seq) => void jump.jumpTo(seq),
    onOpenImage: (images, index) => setViewing({ images, index }),
    onRemovePreview: (message) => void actions.removePreview(message),
  };

  if (state.gone) {
    return (
      <section class="room empty-state">
        <p>{state.gone}</p>
        <button type="button" onClick={() => navigate("/")}>
          Back to your rooms
        </button>
      </section>
    );
  }

  const { room, timeline } = state;
  const peer = direct ? room?.members.find((member) => member.userId !== me) : undefined;
  const { title, heading } = roomTitle(room, peer);
  const composerShared = {
    me,
    members,
    canMentionRoom: !direct && ctx.canModerate,
    nameOf: ctx.nameOf,
    onTyping: (typing: boolean) => void open.socket.send({ type: "typing", typing }),
  };
  const pinsVersion = timeline.messages
    .filter((message) => message.pinnedAt)
    .map((message) => `${message.seq}@${message.pinnedAt}`)
    .join();

  return (
    <section
      class={["room", panel && "with-panel", dragging && "dragging"].filter(Boolean).join(" ")}
      aria-label={title}
      data-connection={state.connection}
      onDragOver={(event) => {
        if (!event.dataTransfer?.types.includes("Files")) return;
        event.preventDefault(); // lets the drop happen here rather than the browser opening the file
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.relatedTarget === null || !event.currentTarget.contains(event.relatedTarget as Node))
          setDragging(false);
      }}
      onDrop={(event) => {
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length === 0) return;
        event.preventDefault();
        setDragging(false);
        uploads.add(files);
      }}
    >
      {dragging && (
        <div class="drop-hint" aria-hidden="true">
          Drop files to send them to {title}
        </div>
      )}
      <RoomHeader
        title={heading}
        room={room}
        peer={peer}
        peerOnline={peer ? isOnline(state, peer) : false}
        connection={state.connection}
        panel={panel === "thread" ? null : panel}
        onTogglePanel={togglePanel}
        notify={props.summary?.notify ?? "all"}
        onNotify={(level) => props.onNotify(props.roomId, level)}
        actions={
          room && (
            <CallButtons
              participants={state.call}
              inThisCall={call.active?.roomId === props.roomId}
              onCall={(video) => void calls.start(props.roomId, me, video)}
            />
          )
        }
        onOpenSettings={moderator ? () => setDialog({ kind: "settings" }) : undefined}
      />
      {call.active?.roomId === props.roomId && call.session && (
        <CallView view={call.active} session={call.session} />
      )}
      <div class="room-body">
        <div class="timeline-column">
          <section
            class="timeline"
            ref={anchor.scroller}
            onScroll={() => {
              const edge = anchor.scrolled();
              if (edge.nearTop)
                older.loadOlder().catch((error) => showError("Could not load older messages", error));
              if (edge.nearBottom)
                newer.loadNewer().catch((error) => showError("Could not load newer messages", error));
            }}
            aria-label="Messages"
          >
            {timeline.hasOlder ? (
              <p class="muted center">{older.loading ? "Loading older messages…" : " "}</p>
            ) : (
              <p class="muted center">This is the beginning of {heading}.</p>
            )}
            <MessageList
              messages={shownMessages(timeline)}
              pending={
                timeline.gapAfter === null
                  ? timeline.pending.filter((send) => send.threadSeq === undefined)
                  : []
              }
              receipts={state.receipts}
              ctx={ctx}
              placement="timeline"
              onRetry={actions.retry}
              onDiscard={actions.discard}
            />
            {timeline.gapAfter !== null && (
              <p class="muted center">{newer.loading ? "Loading newer messages…" : " "}</p>
            )}
          </section>
          {timeline.gapAfter !== null && (
            <button
              type="button"
              class="jump-latest"
              onClick={() => {
                open.dispatch({ type: "latest" });
                anchor.followNewest();
              }}
            >
              Jump to the newest messages ↓
            </button>
          )}
          <p class="typing" role="status">
            <Sentence words={typingLine(state, Date.now())} />
          </p>
          <div class="visually-hidden" aria-live="polite" aria-atomic="true">
            {state.announcement}
          </div>
          <Composer
            {...composerShared}
            inputId="composer-input"
            label={`Message ${title}`}
            // A placeholder cannot hold a <bdi>: the Unicode isolates (FSI … PDI) do its work there.
            placeholder={`Message \u2068${title}\u2069`}
            draftPlace={draftPlace(props.roomId)}
            editing={editing}
            quoting={quoting}
            uploads={uploads}
            onSend={(body, attachments) => {
              if (timeline.gapAfter !== null) open.dispatch({ type: "latest" });
              anchor.followNewest();
              actions.send(body, { quote: quoting, attachments });
              setQuoting(null);
            }}
            onSaveEdit={(message, body) => {
              setEditing(null);
              void actions.edit(message, body);
            }}
            onCancelEdit={() => setEditing(null)}
            onCancelQuote={() => setQuoting(null)}
          />
        </div>
        {panel === "people" && peer && (
          <PeerPanel me={me} peer={peer} online={isOnline(state, peer)} onClose={() => setPanel(null)} />
        )}
        {panel === "people" && room && !direct && (
          <MemberPanel
            room={room}
            me={me}
            isOnline={(member) => isOnline(state, member)}
            onChanged={open.reloadDetails}
            onClose={() => setPanel(null)}
          />
        )}
        {panel === "pins" && (
          <PinnedPanel
            roomId={props.roomId}
            pinsVersion={pinsVersion}
            ctx={ctx}
            onClose={() => setPanel(null)}
          />
        )}
        {panel === "thread" && threadSeq !== null && (
          <ThreadPanel
            roomId={props.roomId}
            rootSeq={threadSeq}
            thread={thread.thread}
            pending={timeline.pending}
            receipts={state.receipts}
            ctx={ctx}
            composer={composerShared}
            loadingOlder={thread.loadingOlder}
            onLoadOlder={thread.loadOlder}
            onSend={(body) => actions.send(body, { threadSeq })}
            onRetry={actions.retry}
            onDiscard={actions.discard}
            onClose={() => setPanel(null)}
          />
        )}
      </div>
      {picking && (
        <EmojiPicker
          anchor={picking.opener}
          recent={picking.recent}
          onPick={(emoji) => {
            const already = picking.message.reactions.some(
              (reaction) => reaction.emoji === emoji && reaction.userIds.includes(me),
            );
            if (!already) void actions.react(picking.message, emoji, true);
            setPicking(null);
            picking.opener?.focus();
          }}
          onClose={() => {
            setPicking(null);
            if (picking.opener?.isConnected) picking.opener.focus();
          }}
        />
      )}
      {viewing && (
        <ImageViewer
          images={viewing.images}
          index={viewing.index}
          onIndex={(index) => setViewing({ ...viewing, index })}
          onClose={() => setViewing(null)}
        />
      )}
      <RoomDialogs
        dialog={dialog}
        roomId={props.roomId}
        state={state}
        moderator={moderator}
        reportCount={props.reportCount}
        // The message's own actions go with it: the composer is where the focus can go on.
        onDelete={(message) =>
          void actions.remove(message).then(() => document.getElementById("composer-input")?.focus())
        }
        onShowMessage={anchor.showMessage}
        onClose={() => setDialog(null)}
      />
    </section>
  );
}

/**
 * Opens a search result: once the room has its first page (a jump before it would be replaced by
 * it), the room's own jump loads the page around the message if it is not held, scrolls to it and
 * highlights it. Each target once, by its key.
 */
function useSearchJump(target: JumpTarget | null, opened: boolean, jumpTo: (seq: number) => void) {
  const done = useRef<number | null>(null);
  const latestJumpTo = useRef(jumpTo);
  latestJumpTo.current = jumpTo;
  useEffect(() => {
    if (!target || !opened || done.current === target.key) return;
    done.current = target.key;
    latestJumpTo.current(target.seq);
  }, [target, opened]);
}

/**
 * The room's name as text (labels, the composer's placeholder) and for the eye, with the name in a
 * <bdi> so that its direction cannot reorder what is around it; a direct room is named after the
 * other person.
 */
function roomTitle(
  room: RoomDetail | null,
  peer: Member | undefined,
): { title: string; heading: ComponentChildren } {
  if (room?.kind === "direct") {
    const name = peer?.displayName ?? "Direct message";
    return { title: name, heading: <bdi>{name}</bdi> };
  }
  if (!room) return { title: "…", heading: "…" };
  const heading = (
    <>
      # <bdi>{room.name}</bdi>
    </>
  );
  return { title: `# ${room.name}`, heading };
}
