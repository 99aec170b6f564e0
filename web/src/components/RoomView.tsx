import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, answer, done } from "../api/answers";
import { api, roomParam } from "../api/client";
import type { Session } from "../api/session";
import {
  CloseCode,
  type Member,
  type Message,
  type Receipt,
  type RoomDetail,
  type RoomFrame,
} from "../api/types";
import { type ConnectionState, type LiveSocket, openLiveSocket } from "../realtime/live-socket";
import { navigate } from "../router";
import {
  addPending,
  dropPending,
  emptyTimeline,
  lastSeq,
  markPending,
  newClientId,
  type PendingSend,
  prependPage,
  receive,
  type Timeline,
} from "../state/timeline";
import { Composer } from "./Composer";
import { MemberPanel } from "./MemberPanel";
import { MessageList } from "./MessageList";
import { CONNECTION_LABELS } from "./Sidebar";

// One open room: history from REST, then a live socket that resumes with since=<last seq we hold>,
// so after any drop the room replays exactly what we missed. Our sends are shown at once as
// pending and confirmed by the server's own copy (matched by clientId); unconfirmed ones are resent
// with the same clientId when the socket is back, which the room turns into a no-op if it had them.

const PAGE = 50;
const CONFIRM_TIMEOUT_MS = 10_000;
const TYPING_SHOWN_MS = 6000;

export function RoomView(props: {
  roomId: string;
  session: Session;
  onRead: (roomId: string, seq: number) => void;
}) {
  const me = props.session.user.id;
  const [room, setRoom] = useState<RoomDetail | null>(null);
  const [gone, setGone] = useState<string | null>(null);
  const [timeline, setTimeline] = useState<Timeline>(emptyTimeline);
  const timelineRef = useRef(timeline);
  const [receipts, setReceipts] = useState<Map<string, Receipt>>(new Map());
  const [online, setOnline] = useState<Set<string>>(new Set());
  const [typing, setTyping] = useState<Map<string, number>>(new Map());
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const connectionRef = useRef(connection);
  const [editing, setEditing] = useState<Message | null>(null);
  const [showMembers, setShowMembers] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [loadingOlder, setLoadingOlder] = useState(false);
  const socket = useRef<LiveSocket | null>(null);
  const scroller = useRef<HTMLElement>(null);
  const scrollAnchor = useRef<{ height: number; top: number } | null>(null);
  const stickToBottom = useRef(true);
  const readSent = useRef(0);

  const update = useCallback((change: (current: Timeline) => Timeline) => {
    setTimeline((current) => {
      const next = change(current);
      timelineRef.current = next;
      return next;
    });
  }, []);

  const membersById = useMemo(
    () => new Map<string, Member>((room?.members ?? []).map((member) => [member.userId, member])),
    [room],
  );
  const membersRef = useRef(membersById);
  membersRef.current = membersById;

  const loadRoom = useCallback(async () => {
    try {
      setRoom(await answer(api.rooms[":roomId"].$get({ param: roomParam(props.roomId) })));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404)
        setGone("This room does not exist, or you are not in it.");
      else throw error;
    }
  }, [props.roomId]);

  const sendPending = useCallback(
    (send: PendingSend) => {
      socket.current?.send({ type: "message", body: send.body, clientId: send.clientId });
      setTimeout(() => {
        const still = timelineRef.current.pending.find((pending) => pending.clientId === send.clientId);
        // Only a live socket that stayed silent is a failure; while reconnecting, the resend follows.
        if (still?.status === "sending" && connectionRef.current === "live") {
          update((current) =>
            markPending(current, send.clientId, "failed", "no confirmation from the server"),
          );
        }
      }, CONFIRM_TIMEOUT_MS);
    },
    [update],
  );

  const onFrame = useCallback(
    (frame: RoomFrame) => {
      switch (frame.type) {
        case "welcome":
          setOnline(new Set(frame.online));
          setReceipts(new Map(frame.receipts.map((receipt) => [receipt.userId, receipt])));
          for (const send of timelineRef.current.pending) if (send.status === "sending") sendPending(send);
          return;
        case "message": {
          update((current) => receive(current, [frame.message], me));
          const author = frame.message.userId;
          if (author !== me) {
            const name = membersRef.current.get(author)?.displayName ?? "Someone";
            setAnnouncement(`${name}: ${frame.message.body}`);
            setTyping((current) => {
              const next = new Map(current);
              next.delete(author);
              return next;
            });
          }
          return;
        }
        case "message_updated":
          update((current) => receive(current, [frame.message], me));
          return;
        case "typing":
          setTyping((current) => {
            const next = new Map(current);
            if (frame.typing) next.set(frame.userId, Date.now() + TYPING_SHOWN_MS);
            else next.delete(frame.userId);
            return next;
          });
          return;
        case "presence":
          setOnline((current) => {
            const next = new Set(current);
            if (frame.online) next.add(frame.userId);
            else next.delete(frame.userId);
            return next;
          });
          return;
        case "receipt":
          setReceipts((current) => new Map(current).set(frame.userId, frame));
          return;
        case "error":
          if (frame.clientId) {
            const clientId = frame.clientId;
            update((current) => markPending(current, clientId, "failed", frame.message));
          }
          return;
        default:
          return;
      }
    },
    [me, update, sendPending],
  );

  // Open the room: its details and newest page, then the live socket.
  useEffect(() => {
    let closed = false;
    let live: LiveSocket | null = null;
    timelineRef.current = emptyTimeline;
    setTimeline(emptyTimeline);
    setRoom(null);
    setGone(null);
    setEditing(null);
    readSent.current = 0;
    stickToBottom.current = true;
    (async () => {
      await loadRoom();
      const page = await answer(
        api.rooms[":roomId"].messages.$get({ param: roomParam(props.roomId), query: { limit: PAGE } }),
      );
      if (closed) return;
      update((current) => ({ ...receive(current, page.messages, me), hasOlder: page.hasMore }));
      live = openLiveSocket<RoomFrame>({
        path: () => `/rooms/${encodeURIComponent(props.roomId)}/ws?since=${lastSeq(timelineRef.current)}`,
        onFrame,
        onState: (state) => {
          connectionRef.current = state;
          setConnection(state);
        },
        onEnded: (code) =>
          setGone(
            code === CloseCode.roomDeleted
              ? "This room was deleted."
              : "You are no longer a member of this room.",
          ),
      });
      socket.current = live;
    })().catch((error) => {
      if (!closed && !(error instanceof ApiError && error.status === 404)) console.error(error);
    });
    return () => {
      closed = true;
      live?.close();
      socket.current = null;
    };
  }, [props.roomId, me, loadRoom, onFrame, update]);

  // Typing indicators fade by themselves if a "stopped" never arrives.
  useEffect(() => {
    if (typing.size === 0) return;
    const timer = setInterval(() => {
      setTyping((current) => {
        const now = Date.now();
        const next = new Map([...current].filter(([, until]) => until > now));
        return next.size === current.size ? current : next;
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [typing.size]);

  // Reading: the newest message we show while the page is visible is read.
  const newest = lastSeq(timeline);
  useEffect(() => {
    const markRead = () => {
      if (document.visibilityState !== "visible" || newest <= readSent.current) return;
      readSent.current = newest;
      if (!socket.current?.send({ type: "read", seq: newest })) {
        done(
          api.rooms[":roomId"].read.$post({ param: roomParam(props.roomId), json: { seq: newest } }),
        ).catch(() => undefined);
      }
      props.onRead(props.roomId, newest);
    };
    markRead();
    document.addEventListener("visibilitychange", markRead);
    return () => document.removeEventListener("visibilitychange", markRead);
  }, [newest, props.roomId, props.onRead, connection]);

  // Scrolling: keep the view still when older messages are put above; follow new ones at the bottom.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (scrollAnchor.current) {
      element.scrollTop = element.scrollHeight - scrollAnchor.current.height + scrollAnchor.current.top;
      scrollAnchor.current = null;
    } else if (stickToBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [timeline]);

  const loadOlder = useCallback(async () => {
    const first = timelineRef.current.messages[0];
    if (!first || !timelineRef.current.hasOlder || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const page = await answer(
        api.rooms[":roomId"].messages.$get({
          param: roomParam(props.roomId),
          query: { before: first.seq, limit: PAGE },
        }),
      );
      const element = scroller.current;
      if (element) scrollAnchor.current = { height: element.scrollHeight, top: element.scrollTop };
      update((current) => prependPage(current, page.messages, page.hasMore, me));
    } finally {
      setLoadingOlder(false);
    }
  }, [props.roomId, loadingOlder, me, update]);

  function onScroll() {
    const element = scroller.current;
    if (!element) return;
    stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 80;
    if (element.scrollTop < 120) void loadOlder();
  }

  function send(body: string) {
    const pending: PendingSend = {
      clientId: newClientId(),
      body,
      createdAt: new Date().toISOString(),
      status: "sending",
    };
    stickToBottom.current = true;
    update((current) => addPending(current, pending));
    sendPending(pending);
  }

  async function saveEdit(message: Message, body: string) {
    setEditing(null);
    try {
      const edited = await answer(
        api.rooms[":roomId"].messages[":seq"].$patch({
          param: { ...roomParam(props.roomId), seq: message.seq },
          json: { body },
        }),
      );
      update((current) => receive(current, [edited], me));
    } catch (error) {
      alert(error instanceof Error ? error.message : String(error));
    }
  }

  async function remove(message: Message) {
    if (!confirm("Delete this message for everyone?")) return;
    try {
      const deleted = await answer(
        api.rooms[":roomId"].messages[":seq"].$delete({
          param: { ...roomParam(props.roomId), seq: message.seq },
        }),
      );
      update((current) => receive(current, [deleted], me));
    } catch (error) {
      alert(error instanceof Error ? error.message : String(error));
    }
  }

  if (gone) {
    return (
      <section class="room empty-state">
        <p>{gone}</p>
        <button type="button" onClick={() => navigate("/")}>
          Back to your rooms
        </button>
      </section>
    );
  }

  const direct = room?.kind === "direct";
  const peer = direct ? room?.members.find((member) => member.userId !== me) : undefined;
  const title = direct ? (peer?.displayName ?? "Direct message") : room ? `# ${room.name}` : "…";
  const typingNames = [...typing.keys()]
    .filter((userId) => userId !== me)
    .map((userId) => membersById.get(userId)?.displayName ?? "Someone");
  const typingText =
    typingNames.length === 0
      ? ""
      : typingNames.length === 1
        ? `${typingNames[0]} is typing…`
        : typingNames.length === 2
          ? `${typingNames[0]} and ${typingNames[1]} are typing…`
          : "Several people are typing…";

  return (
    <section class="room" aria-label={title} data-connection={connection}>
      <header class="room-header">
        <button
          type="button"
          class="icon-button back"
          aria-label="Back to rooms"
          onClick={() => navigate("/")}
        >
          ←
        </button>
        <div class="room-title">
          <h1>{title}</h1>
          {direct && peer ? (
            <p class="muted">{online.has(peer.userId) || peer.online ? "online" : "offline"}</p>
          ) : (
            room?.topic && <p class="muted">{room.topic}</p>
          )}
        </div>
        {connection !== "live" && (
          <span class={`connection ${connection}`} role="status">
            <span class="dot" aria-hidden="true" /> {CONNECTION_LABELS[connection]}
          </span>
        )}
        <button
          type="button"
          class="members-button"
          aria-expanded={showMembers}
          onClick={() => setShowMembers((shown) => !shown)}
        >
          Members{room ? ` (${room.members.length})` : ""}
        </button>
      </header>
      <div class="room-body">
        <section class="timeline" ref={scroller} onScroll={onScroll} aria-label="Messages">
          {timeline.hasOlder ? (
            <p class="muted center">{loadingOlder ? "Loading older messages…" : " "}</p>
          ) : (
            <p class="muted center">This is the beginning of {title}.</p>
          )}
          <MessageList
            messages={timeline.messages}
            pending={timeline.pending}
            me={me}
            members={membersById}
            receipts={receipts}
            direct={direct}
            canModerate={room?.role === "owner" || room?.role === "admin"}
            onEdit={setEditing}
            onDelete={remove}
            onRetry={(pending) => {
              update((current) => markPending(current, pending.clientId, "sending"));
              sendPending(pending);
            }}
            onDiscard={(pending) => update((current) => dropPending(current, pending.clientId))}
          />
        </section>
        {showMembers && room && (
          <MemberPanel
            room={room}
            me={me}
            online={online}
            onChanged={loadRoom}
            onClose={() => setShowMembers(false)}
          />
        )}
      </div>
      <p class="typing" aria-live="polite">
        {typingText}
      </p>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      <Composer
        roomName={title}
        editing={editing}
        onSend={send}
        onSaveEdit={saveEdit}
        onCancelEdit={() => setEditing(null)}
        onTyping={(isTyping) => socket.current?.send({ type: "typing", typing: isTyping })}
      />
    </section>
  );
}
