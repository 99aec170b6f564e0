import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { answer, done } from "./api/answers";
import { api, roomParam } from "./api/client";
import { currentSession, onSessionChange, restoreSession, type Session, signOut } from "./api/session";
import type { ChannelFrame, RoomSummary } from "./api/types";
import { calls } from "./call/calls";
import { AuthScreen } from "./components/AuthScreen";
import { DeleteAccountDialog } from "./components/DeleteAccountDialog";
import { CreateRoomDialog, DirectDialog, DiscoverDialog, ProfileDialog } from "./components/Dialogs";
import { CallAudio, FloatingCall } from "./components/FloatingCall";
import { IncomingCalls } from "./components/IncomingCalls";
import { RoomView } from "./components/RoomView";
import { SearchDialog } from "./components/SearchDialog";
import { type DialogName, Sidebar } from "./components/Sidebar";
import { showError, showNotice, Toasts } from "./components/Toasts";
import { ONE_PANE, useMediaQuery } from "./layout";
import { titleUnread } from "./notify/notices";
import { askPermission, notificationPermission, onNotificationOpensRoom } from "./notify/system";
import { useNotices } from "./notify/use-notices";
import { type ConnectionState, openLiveSocket } from "./realtime/live-socket";
import { navigate, useRoomRoute } from "./router";
import {
  applyRoomFrame,
  channelNotice,
  countMention,
  markRoomRead,
  setNotifyLevel,
  sortByActivity,
} from "./state/room-list";
import { type JumpTarget, jumpSeq, type SearchHit } from "./state/search";

/** Signing back in with the refresh cookie; offline (the cached shell), until the network returns. */
function Restoring() {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return (
    <p class="muted pad restoring" role="status">
      {online ? "Signing you in…" : "You are offline. Hubbub signs you back in when the connection returns."}
    </p>
  );
}

export function App() {
  // undefined: still signing back in with the refresh cookie (a reload), so neither screen yet.
  const [session, setSession] = useState<Session | null | undefined>(currentSession() ?? undefined);
  useEffect(() => {
    const stop = onSessionChange(setSession);
    void restoreSession();
    return stop;
  }, []);
  if (session === undefined) return <Restoring />;
  return session ? <Chat session={session} /> : <AuthScreen />;
}

/** The signed-in app: the room list (kept live by the user's own channel) and the open room. */
function Chat({ session }: { session: Session }) {
  const roomId = useRoomRoute();
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const [permission, setPermission] = useState(notificationPermission);
  /** The search result opened last: its room jumps to it (room/use-jump.ts), as to a quote or a pin. */
  const [jump, setJump] = useState<{ roomId: string; target: JumpTarget } | null>(null);
  // Reports that arrived live, by room: the open room's settings reload their list when it grows.
  const [reports, setReports] = useState<Record<string, number>>({});
  const userId = session.user.id;
  const notices = useNotices(userId, roomId);
  // The channel's callbacks outlive renders: they read the room list and open room as of now.
  const current = useRef({ rooms, roomId, notices });
  current.current = { rooms, roomId, notices };
  // On a phone with no room open, the room list is the whole page: then it is the main landmark,
  // with the page's heading, instead of a navigation beside a hidden welcome.
  const listIsThePage = useMediaQuery(ONE_PANE) && !roomId;

  useEffect(() => {
    const load = () =>
      answer(api.rooms.$get())
        .then((list) => setRooms(sortByActivity(list.rooms)))
        .catch((error) => showError("Could not load your rooms", error));
    const channel = openLiveSocket<ChannelFrame>({
      path: () => "/ws",
      onFrame: (frame) => {
        calls.channelFrame(frame);
        const now = current.current;
        now.notices(frame, now.rooms ?? []);
        setRooms((list) => {
          if (!list) return list;
          return frame.type === "mention"
            ? countMention(list, frame.roomId, now.roomId)
            : applyRoomFrame(list, frame);
        });
        const notice = channelNotice(now.rooms ?? [], frame);
        if (notice) showNotice(notice);
        if (frame.type === "report")
          setReports((counts) => ({ ...counts, [frame.roomId]: (counts[frame.roomId] ?? 0) + 1 }));
      },
      onState: (state) => {
        setConnection(state);
        // Whatever changed while we were away is in a fresh list.
        if (state === "live") void load();
      },
    });
    return () => channel.close();
  }, [userId]);

  useEffect(() => onNotificationOpensRoom((id) => navigate(`/rooms/${encodeURIComponent(id)}`)), []);

  useEffect(() => {
    const unread = titleUnread(rooms ?? []);
    document.title = unread > 0 ? `(${unread}) Hubbub` : "Hubbub";
  }, [rooms]);

  // Ctrl+K (Cmd+K on a Mac) opens search from anywhere, as in Slack and most chat apps.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setDialog("search");
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  const openResult = useCallback((hit: SearchHit) => {
    setDialog(null);
    setJump({ roomId: hit.roomId, target: { seq: jumpSeq(hit.message), key: Date.now() } });
    navigate(`/rooms/${encodeURIComponent(hit.roomId)}`);
  }, []);

  const clearJump = useCallback(() => setJump(null), []);

  const onRead = useCallback(
    (id: string, seq: number) => setRooms((current) => (current ? markRoomRead(current, id, seq) : current)),
    [],
  );

  const onNotify = useCallback((id: string, level: RoomSummary["notify"]) => {
    done(api.rooms[":roomId"].notifications.$put({ param: roomParam(id), json: { level } }))
      .then(() => setRooms((list) => (list ? setNotifyLevel(list, id, level) : list)))
      .catch((error) => showError("Could not change the notifications", error));
  }, []);

  const sidebar = (
    <Sidebar
      session={session}
      rooms={rooms}
      activeRoomId={roomId}
      connection={connection}
      isThePage={listIsThePage}
      onOpen={setDialog}
      onSignOut={() => void signOut()}
      notifications={permission}
      onAskNotifications={() => void askPermission().then(setPermission)}
    />
  );

  return (
    <div class={roomId ? "app in-room" : "app"}>
      {listIsThePage ? (
        <main class="main list-page">{sidebar}</main>
      ) : (
        <>
          {sidebar}
          <main class="main">
            {roomId ? (
              <RoomView
                key={roomId}
                roomId={roomId}
                session={session}
                summary={rooms?.find((room) => room.id === roomId)}
                jumpTo={jump?.roomId === roomId ? jump.target : null}
                onJumped={clearJump}
                onRead={onRead}
                onNotify={onNotify}
                reportCount={reports[roomId] ?? 0}
              />
            ) : (
              <section class="room empty-state">
                <h1>
                  Welcome, <bdi>{session.user.displayName}</bdi>
                </h1>
                <p class="muted">Pick a room on the left, or start something new.</p>
                <div class="actions">
                  <button type="button" class="primary" onClick={() => setDialog("direct")}>
                    New message
                  </button>
                  <button type="button" onClick={() => setDialog("discover")}>
                    Browse rooms
                  </button>
                </div>
              </section>
            )}
          </main>
        </>
      )}
      {dialog === "create" && <CreateRoomDialog onClose={() => setDialog(null)} />}
      {dialog === "discover" && <DiscoverDialog onClose={() => setDialog(null)} />}
      {dialog === "direct" && <DirectDialog onClose={() => setDialog(null)} />}
      {dialog === "profile" && (
        <ProfileDialog
          session={session}
          onClose={() => setDialog(null)}
          onDeleteAccount={() => setDialog("delete-account")}
        />
      )}
      {dialog === "delete-account" && <DeleteAccountDialog onClose={() => setDialog(null)} />}
      {dialog === "search" && (
        <SearchDialog
          rooms={rooms ?? []}
          openRoomId={roomId}
          me={userId}
          onOpen={openResult}
          onClose={() => setDialog(null)}
        />
      )}
      <IncomingCalls me={userId} />
      <FloatingCall openRoomId={roomId} />
      <CallAudio />
      <Toasts />
    </div>
  );
}
