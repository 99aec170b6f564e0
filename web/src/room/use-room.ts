import { useCallback, useEffect, useReducer, useRef } from "preact/hooks";
import { ApiError, answer } from "../api/answers";
import { api, roomParam } from "../api/client";
import { historyPage } from "../api/history";
import { showError } from "../components/Toasts";
import { initialRoomState, type RoomAction, type RoomState, roomReducer } from "../state/room";
import { useRoomSocket } from "./use-room-socket";

// One open room: its details and newest page from the API, then the live socket (use-room-socket.ts)
// that resumes from the last seq we hold. Every change goes through roomReducer (state/room.ts).

export const PAGE = 50;
const NOT_OURS = "This room does not exist, or you are not in it.";

export type OpenRoom = {
  state: RoomState;
  dispatch: (action: RoomAction) => void;
  /** The state as of now, for callbacks that outlive the render they were made in. */
  latest: () => RoomState;
  /** Fetches the details again (the member panel, after adding or removing someone). */
  reloadDetails: () => void;
  socket: ReturnType<typeof useRoomSocket>;
};

export function useRoom(roomId: string, me: string): OpenRoom {
  const [state, dispatch] = useReducer(roomReducer, me, initialRoomState);
  // Updated on render, so it may trail the newest dispatch by a moment; a since= that is a little
  // behind only replays messages that the timeline merges away by seq.
  const current = useRef(state);
  current.current = state;
  const latest = useCallback(() => current.current, []);

  const reloadDetails = useCallback(() => {
    answer(api.rooms[":roomId"].$get({ param: roomParam(roomId) }))
      .then((room) => dispatch({ type: "details", room }))
      .catch((error) => {
        if (error instanceof ApiError && error.status === 404) dispatch({ type: "gone", reason: NOT_OURS });
        else showError("Could not load the room's members", error);
      });
  }, [roomId]);

  useEffect(() => {
    let closed = false;
    (async () => {
      const param = roomParam(roomId);
      const [room, page] = await Promise.all([
        answer(api.rooms[":roomId"].$get({ param })),
        historyPage(roomId, { limit: PAGE }),
      ]);
      if (!closed) dispatch({ type: "opened", room, messages: page.messages, hasOlder: page.hasMore });
    })().catch((error) => {
      if (closed) return;
      if (error instanceof ApiError && error.status === 404) dispatch({ type: "gone", reason: NOT_OURS });
      else showError("Could not open the room", error);
    });
    return () => {
      closed = true;
    };
  }, [roomId]);

  // "… is typing" fades by itself when a "stopped" never arrives.
  const someoneTyping = state.typing.size > 0;
  useEffect(() => {
    if (!someoneTyping) return;
    const timer = setInterval(() => dispatch({ type: "typing_faded", now: Date.now() }), 1000);
    return () => clearInterval(timer);
  }, [someoneTyping]);

  const socket = useRoomSocket({ roomId, opened: state.room !== null, latest, dispatch, reloadDetails });
  return { state, dispatch, latest, reloadDetails, socket };
}
