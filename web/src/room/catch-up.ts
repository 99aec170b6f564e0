import { historyPage } from "../api/history";
import type { RoomAction } from "../state/room";

// A resume from far behind stops after 1,000 messages (`resume_incomplete`): the rest is paged
// with GET …/messages?after=, from where the replay stopped, until the room is caught up. Live
// frames keep arriving meanwhile; merging by seq makes the order of arrival irrelevant.

const CATCH_UP_PAGE = 100;

export async function catchUp(roomId: string, nextSeq: number, dispatch: (action: RoomAction) => void) {
  let after = nextSeq - 1;
  for (;;) {
    const page = await historyPage(roomId, { after, limit: CATCH_UP_PAGE });
    dispatch({ type: "newer", messages: page.messages });
    const last = page.messages.at(-1);
    if (!page.hasMore || !last) return;
    after = last.seq;
  }
}
