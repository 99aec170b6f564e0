import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { historyAround, historyPage } from "../api/history";
import type { Message } from "../api/types";
import { showError } from "../components/Toasts";
import { browserStorage } from "../state/kept";
import type { RoomAction, RoomState } from "../state/room";
import { markThreadSeen, threadsSeenIn } from "../state/thread-reads";
import type { ThreadReplies } from "../state/threads";

// The thread open beside the room: its root and newest replies from the API (`thread=N`), older
// replies as the reader scrolls up, live replies from the room's socket (state/threads.ts). While
// it is open, what it shows counts as seen (state/thread-reads.ts), so its "new replies" mark goes.

const PAGE = 50;

export function useThread(options: {
  roomId: string;
  me: string;
  rootSeq: number | null;
  state: RoomState;
  latest: () => RoomState;
  dispatch: (action: RoomAction) => void;
}) {
  const { roomId, me, rootSeq, state, latest, dispatch } = options;
  const [seen, setSeen] = useState(() => threadsSeenIn(browserStorage(), me, roomId));
  const [loadingOlder, setLoadingOlder] = useState(false);
  const inFlight = useRef(false);
  const thread: ThreadReplies | undefined = rootSeq === null ? undefined : state.threads.get(rootSeq);

  useEffect(() => {
    if (rootSeq === null) return;
    let closed = false;
    (async () => {
      const held = latest().timeline.messages.find((message) => message.seq === rootSeq);
      const root: Message | undefined =
        held ?? (await historyAround(roomId, rootSeq, 1)).messages.find((message) => message.seq === rootSeq);
      if (!root) throw new Error("That message is not in this room any more.");
      const page = await historyPage(roomId, { thread: rootSeq, limit: PAGE });
      if (!closed) dispatch({ type: "thread", root, messages: page.messages, hasOlder: page.hasMore });
    })().catch((error) => showError("Could not open the thread", error));
    return () => {
      closed = true;
    };
  }, [roomId, rootSeq, latest, dispatch]);

  // What the open thread shows is seen, up to its newest reply.
  const lastReplyAt = thread?.root?.thread?.lastReplyAt;
  useEffect(() => {
    if (rootSeq === null || !lastReplyAt) return;
    markThreadSeen(browserStorage(), me, roomId, rootSeq, lastReplyAt);
    setSeen((current) => new Map(current).set(rootSeq, lastReplyAt));
  }, [roomId, me, rootSeq, lastReplyAt]);

  const loadOlder = useCallback(
    async (beforePrepend: () => void) => {
      if (rootSeq === null || inFlight.current) return;
      const held = latest().threads.get(rootSeq);
      const first = held?.messages[0];
      if (!held?.hasOlder || !first) return;
      inFlight.current = true;
      setLoadingOlder(true);
      try {
        const page = await historyPage(roomId, { thread: rootSeq, before: first.seq, limit: PAGE });
        beforePrepend();
        dispatch({ type: "thread_older", rootSeq, messages: page.messages, hasOlder: page.hasMore });
      } finally {
        inFlight.current = false;
        setLoadingOlder(false);
      }
    },
    [roomId, rootSeq, latest, dispatch],
  );

  return { thread, seen, loadOlder, loadingOlder };
}
