import type { ComponentChildren } from "preact";
import { useMemo, useState } from "preact/hooks";
import type { Session } from "../api/session";
import type { Member, Message, RoomDetail } from "../api/types";
import { useMessageActions } from "../room/use-message-actions";
import { useNewerHistory } from "../room/use-newer-history";
import { useOlderHistory } from "../room/use-older-history";
import { useReadMarker } from "../room/use-read-marker";
import { type JumpTarget, useRoom } from "../room/use-room";
import { useScrollAnchor } from "../room/use-scroll-anchor";
import { navigate } from "../router";
import { canModerate } from "../state/moderation";
import { isOnline, typingLine } from "../state/room";
import { newestShown } from "../state/timeline";
import { Composer } from "./Composer";
import { MemberPanel } from "./MemberPanel";
import { MessageList } from "./MessageList";
import { PeerPanel } from "./PeerPanel";
import { type RoomDialog, RoomDialogs } from "./RoomDialogs";
import { RoomHeader } from "./RoomHeader";
import { Sentence } from "./Sentence";
import { showError } from "./Toasts";

// One open room, put together from its parts: the state (state/room.ts) and the hooks in room/
// (loading and the live socket, paging back and, after a jump, down; scrolling, the read marker,
// message actions).

export function RoomView(props: {
  roomId: string;
  session: Session;
  /** Show this message in its context, highlighted (a search result was opened). */
  jumpTo: JumpTarget | null;
  onRead: (roomId: string, seq: number) => void;
  /** How many reports of this room's messages arrived live (the settings' list follows them). */
  reportCount: number;
}) {
  const me = props.session.user.id;
  const open = useRoom(props.roomId, me, props.jumpTo);
  const { state } = open;
  const [editing, setEditing] = useState<Message | null>(null);
  const [dialog, setDialog] = useState<RoomDialog | null>(null);
  const [panelShown, setPanelShown] = useState(false);
  const anchor = useScrollAnchor(state.timeline, state.highlight);
  const older = useOlderHistory({
    roomId: props.roomId,
    latest: open.latest,
    dispatch: open.dispatch,
    beforePrepend: anchor.keepPosition,
  });
  const newer = useNewerHistory({ roomId: props.roomId, latest: open.latest, dispatch: open.dispatch });
  const actions = useMessageActions(open, props.roomId);
  useReadMarker({
    roomId: props.roomId,
    newestSeq: newestShown(state.timeline),
    connection: state.connection,
    send: open.socket.send,
    onRead: props.onRead,
  });
  const membersById = useMemo(
    () => new Map<string, Member>((state.room?.members ?? []).map((member) => [member.userId, member])),
    [state.room],
  );

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
  const direct = room?.kind === "direct";
  const peer = direct ? room?.members.find((member) => member.userId !== me) : undefined;
  const { title, heading } = roomTitle(room, peer);
  const moderator = canModerate(room);

  return (
    <section class="room" aria-label={title} data-connection={state.connection}>
      <RoomHeader
        title={heading}
        room={room}
        peer={peer}
        peerOnline={peer ? isOnline(state, peer) : false}
        connection={state.connection}
        panelShown={panelShown}
        onTogglePanel={() => setPanelShown((shown) => !shown)}
        onOpenSettings={moderator ? () => setDialog({ kind: "settings" }) : undefined}
      />
      <div class="room-body">
        <div class="timeline-wrap">
          <section
            class="timeline"
            ref={anchor.scroller}
            onScroll={() => {
              const { nearTop, nearBottom } = anchor.scrolled();
              if (nearTop)
                older.loadOlder().catch((error) => showError("Could not load older messages", error));
              if (nearBottom && timeline.hasNewer)
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
              messages={timeline.messages}
              pending={timeline.pending}
              me={me}
              members={membersById}
              receipts={state.receipts}
              highlightSeq={state.highlight?.seq ?? null}
              direct={direct}
              canModerate={room?.role === "owner" || room?.role === "admin"}
              onEdit={setEditing}
              onDelete={(message) => setDialog({ kind: "delete", message })}
              onReport={(message) => setDialog({ kind: "report", message })}
              onRetry={actions.retry}
              onDiscard={actions.discard}
            />
            {timeline.hasNewer && (
              <p class="muted center">{newer.loading ? "Loading newer messages…" : " "}</p>
            )}
          </section>
          {timeline.hasNewer && (
            <button
              type="button"
              class="jump-latest"
              onClick={() =>
                newer.jumpToLatest().catch((error) => showError("Could not load the newest messages", error))
              }
            >
              Jump to the newest messages ↓
            </button>
          )}
        </div>
        {panelShown && peer && (
          <PeerPanel
            me={me}
            peer={peer}
            online={isOnline(state, peer)}
            onClose={() => setPanelShown(false)}
          />
        )}
        {panelShown && room && !direct && (
          <MemberPanel
            room={room}
            me={me}
            isOnline={(member) => isOnline(state, member)}
            onChanged={open.reloadDetails}
            onClose={() => setPanelShown(false)}
          />
        )}
      </div>
      <p class="typing" role="status">
        <Sentence words={typingLine(state, Date.now())} />
      </p>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">
        {state.announcement}
      </div>
      <Composer
        roomName={title}
        editing={editing}
        onSend={(body) => {
          anchor.followNewest();
          actions.send(body);
          // Your message goes to the live end: show it there, as any chat does.
          newer.jumpToLatest().catch((error) => showError("Could not load the newest messages", error));
        }}
        onSaveEdit={(message, body) => {
          setEditing(null);
          void actions.edit(message, body);
        }}
        onCancelEdit={() => setEditing(null)}
        onTyping={(typing) => open.socket.send({ type: "typing", typing })}
      />
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
