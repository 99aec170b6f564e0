import type { ComponentChildren } from "preact";
import { useMemo, useState } from "preact/hooks";
import type { Session } from "../api/session";
import type { Member, Message, RoomDetail } from "../api/types";
import { calls, useCalls } from "../call/calls";
import { useMessageActions } from "../room/use-message-actions";
import { useOlderHistory } from "../room/use-older-history";
import { useReadMarker } from "../room/use-read-marker";
import { useRoom } from "../room/use-room";
import { useScrollAnchor } from "../room/use-scroll-anchor";
import { navigate } from "../router";
import { canModerate } from "../state/moderation";
import { isOnline, typingLine } from "../state/room";
import { lastSeq } from "../state/timeline";
import { CallButtons } from "./CallButtons";
import { CallView } from "./CallView";
import { Composer } from "./Composer";
import { MemberPanel } from "./MemberPanel";
import { MessageList } from "./MessageList";
import { PeerPanel } from "./PeerPanel";
import { type RoomDialog, RoomDialogs } from "./RoomDialogs";
import { RoomHeader } from "./RoomHeader";
import { Sentence } from "./Sentence";
import { showError } from "./Toasts";

// One open room, put together from its parts: the state (state/room.ts) and the hooks in room/
// (loading and the live socket, paging back, scrolling, the read marker, message actions).

export function RoomView(props: {
  roomId: string;
  session: Session;
  onRead: (roomId: string, seq: number) => void;
  /** How many reports of this room's messages arrived live (the settings' list follows them). */
  reportCount: number;
}) {
  const me = props.session.user.id;
  const open = useRoom(props.roomId, me);
  const { state } = open;
  const [editing, setEditing] = useState<Message | null>(null);
  const [dialog, setDialog] = useState<RoomDialog | null>(null);
  const [panelShown, setPanelShown] = useState(false);
  const anchor = useScrollAnchor(state.timeline);
  const older = useOlderHistory({
    roomId: props.roomId,
    latest: open.latest,
    dispatch: open.dispatch,
    beforePrepend: anchor.keepPosition,
  });
  const actions = useMessageActions(open, props.roomId);
  useReadMarker({
    roomId: props.roomId,
    newestSeq: lastSeq(state.timeline),
    connection: state.connection,
    send: open.socket.send,
    onRead: props.onRead,
  });
  const call = useCalls();
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
        <section
          class="timeline"
          ref={anchor.scroller}
          onScroll={() => {
            if (anchor.scrolled())
              older.loadOlder().catch((error) => showError("Could not load older messages", error));
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
            direct={direct}
            canModerate={room?.role === "owner" || room?.role === "admin"}
            onEdit={setEditing}
            onDelete={(message) => setDialog({ kind: "delete", message })}
            onReport={(message) => setDialog({ kind: "report", message })}
            onRetry={actions.retry}
            onDiscard={actions.discard}
          />
        </section>
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
