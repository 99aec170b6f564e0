import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { answer } from "./api/answers";
import { api } from "./api/client";
import { currentSession, onSessionChange, type Session, signOut } from "./api/session";
import type { ChannelFrame, RoomSummary } from "./api/types";
import { calls } from "./call/calls";
import { AuthScreen } from "./components/AuthScreen";
import { CreateRoomDialog, DirectDialog, DiscoverDialog, ProfileDialog } from "./components/Dialogs";
import { CallAudio, FloatingCall } from "./components/FloatingCall";
import { IncomingCalls } from "./components/IncomingCalls";
import { RoomView } from "./components/RoomView";
import { type DialogName, Sidebar } from "./components/Sidebar";
import { showError, showNotice, Toasts } from "./components/Toasts";
import { ONE_PANE, useMediaQuery } from "./layout";
import { type ConnectionState, openLiveSocket } from "./realtime/live-socket";
import { useRoomRoute } from "./router";
import { applyRoomFrame, channelNotice, markRoomRead, sortByActivity } from "./state/room-list";

export function App() {
  const [session, setSession] = useState<Session | null>(currentSession());
  useEffect(() => onSessionChange(setSession), []);
  return session ? <Chat session={session} /> : <AuthScreen />;
}

/** The signed-in app: the room list (kept live by the user's own channel) and the open room. */
function Chat({ session }: { session: Session }) {
  const roomId = useRoomRoute();
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [dialog, setDialog] = useState<DialogName | null>(null);
  // Reports that arrived live, by room: the open room's settings reload their list when it grows.
  const [reports, setReports] = useState<Record<string, number>>({});
  const userId = session.user.id;
  const roomsNow = useRef<RoomSummary[]>([]);
  roomsNow.current = rooms ?? [];
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
        setRooms((current) => (current ? applyRoomFrame(current, frame) : current));
        calls.channelFrame(frame);
        const notice = channelNotice(roomsNow.current, frame);
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

  useEffect(() => {
    document.title = (() => {
      const unread = rooms?.reduce((sum, room) => sum + room.unreadCount, 0) ?? 0;
      return unread > 0 ? `(${unread}) Hubbub` : "Hubbub";
    })();
  }, [rooms]);

  const onRead = useCallback(
    (id: string, seq: number) => setRooms((current) => (current ? markRoomRead(current, id, seq) : current)),
    [],
  );

  const sidebar = (
    <Sidebar
      session={session}
      rooms={rooms}
      activeRoomId={roomId}
      connection={connection}
      isThePage={listIsThePage}
      onOpen={setDialog}
      onSignOut={() => void signOut()}
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
                onRead={onRead}
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
      {dialog === "profile" && <ProfileDialog session={session} onClose={() => setDialog(null)} />}
      <IncomingCalls me={userId} />
      <FloatingCall openRoomId={roomId} />
      <CallAudio />
      <Toasts />
    </div>
  );
}
