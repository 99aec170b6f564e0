import { useEffect, useMemo, useState } from "preact/hooks";
import type { RoomSummary, SnippetSegment } from "../api/types";
import { relativeTime } from "../format";
import { useAuthorNames, useSearch } from "../search/use-search";
import {
  emptyState,
  groupByRoom,
  moveActive,
  roomLabel,
  type SearchHit,
  type SearchScope,
  searchedWhere,
  shownOrder,
} from "../state/search";
import { Dialog } from "./Dialog";

// Search (Ctrl/Cmd+K anywhere): type, see results grouped by room with what matched marked, move
// through them with the arrow keys, Enter opens one in its room, highlighted in its context. The
// input is a combobox over a listbox of results, so a screen reader hears the active result.

const HINT =
  'Words, "exact phrases" and from:username. The last word also finds longer ones (deplo → deploy).';

export function SearchDialog(props: {
  rooms: RoomSummary[];
  openRoomId: string | null;
  me: string;
  onOpen: (hit: SearchHit) => void;
  onClose: () => void;
}) {
  const [q, setQ] = useState("");
  const openRoom = props.rooms.find((room) => room.id === props.openRoomId);
  const [inRoom, setInRoom] = useState(false);
  const scope: SearchScope =
    inRoom && openRoom ? { kind: "room", roomId: openRoom.id, name: roomLabel(openRoom) } : { kind: "all" };
  const { state, loadMore } = useSearch(q, scope, props.rooms.length);
  const hits = state.status === "done" ? state.hits : [];
  const groups = useMemo(() => groupByRoom(hits), [hits]);
  const order = useMemo(() => shownOrder(groups), [groups]);
  const authors = useAuthorNames(hits);
  const [active, setActive] = useState(-1);
  useEffect(() => setActive(order.length > 0 ? 0 : -1), [order]);
  const optionId = (index: number) => `search-result-${index}`;

  const onKeyDown = (event: KeyboardEvent) => {
    if (["ArrowDown", "ArrowUp"].includes(event.key)) {
      event.preventDefault();
      setActive(moveActive(active, order.length, event.key));
    } else if (event.key === "Enter" && order[active]) {
      event.preventDefault();
      props.onOpen(order[active]);
    }
  };
  useEffect(() => {
    document.getElementById(optionId(active))?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const roomsById = new Map(props.rooms.map((room) => [room.id, room]));
  return (
    <Dialog title="Search messages" onClose={props.onClose}>
      <div class="search">
        <input
          type="search"
          class="search-input"
          role="combobox"
          aria-label="Search messages"
          aria-expanded={order.length > 0}
          aria-controls="search-results"
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 ? optionId(active) : undefined}
          aria-describedby="search-status"
          placeholder="Search messages"
          value={q}
          data-initial-focus
          onInput={(event) => setQ(event.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        {openRoom && (
          <fieldset class="search-scope">
            <legend class="visually-hidden">Where to search</legend>
            <label>
              <input type="radio" name="scope" checked={!inRoom} onChange={() => setInRoom(false)} /> All
              rooms
            </label>
            <label>
              <input type="radio" name="scope" checked={inRoom} onChange={() => setInRoom(true)} /> Only{" "}
              <bdi>{roomLabel(openRoom)}</bdi>
            </label>
          </fieldset>
        )}
        <p id="search-status" class="muted search-status" role="status">
          {statusLine(state, scope)}
        </p>
        <div id="search-results" role="listbox" aria-label="Results" class="search-results">
          {groups.map((group) => (
            // biome-ignore lint/a11y/useSemanticElements: a group of a combobox's options (ARIA APG), not a form's fieldset
            <div key={group.roomId} role="group" aria-labelledby={`search-room-${group.roomId}`}>
              <h3 id={`search-room-${group.roomId}`} class="search-room">
                <bdi>{roomLabel(roomsById.get(group.roomId))}</bdi>
              </h3>
              {group.hits.map((hit) => {
                const index = order.indexOf(hit);
                const author =
                  hit.message.userId === props.me ? "You" : (authors.get(hit.message.userId) ?? "…");
                return (
                  // The focus stays in the input (aria-activedescendant names the active option, the
                  // keys are the input's), so an option is clicked but never focused or keyed itself.
                  // biome-ignore lint/a11y/useFocusableInteractive: see above
                  // biome-ignore lint/a11y/useKeyWithClickEvents: see above
                  <div
                    key={`${hit.roomId}-${hit.message.seq}`}
                    id={optionId(index)}
                    role="option"
                    aria-selected={index === active}
                    class={index === active ? "search-hit active" : "search-hit"}
                    onClick={() => props.onOpen(hit)}
                    onMouseMove={() => index !== active && setActive(index)}
                  >
                    <span class="search-hit-meta">
                      <bdi class="author">{author}</bdi>
                      <time dateTime={hit.message.createdAt}>{relativeTime(hit.message.createdAt)}</time>
                      {hit.message.threadSeq !== null && <span class="muted">in a thread</span>}
                    </span>
                    <Snippet segments={hit.snippet} />
                  </div>
                );
              })}
            </div>
          ))}
        </div>
        {state.status === "done" && state.nextCursor && (
          <button type="button" class="link-button" onClick={loadMore}>
            More results
          </button>
        )}
      </div>
    </Dialog>
  );
}

/** The snippet as text, its matches marked: segments are never HTML, and are never read as HTML. */
function Snippet({ segments }: { segments: SnippetSegment[] }) {
  return (
    <span class="search-snippet">
      {segments.map((segment, index) =>
        segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </span>
  );
}

function statusLine(state: ReturnType<typeof useSearch>["state"], scope: SearchScope): string {
  switch (state.status) {
    case "idle":
      return HINT;
    case "invalid":
      return state.reason;
    case "searching":
      return "Searching…";
    case "failed":
      return `Search failed: ${state.error}`;
    case "done": {
      if (state.hits.length === 0) return emptyState(state.q, scope, state.coverage);
      const count = `${state.hits.length}${state.hasMore ? "+" : ""} ${state.hits.length === 1 ? "result" : "results"}`;
      return `${count} ${searchedWhere(scope, state.coverage)}. ↑↓ to choose, Enter to open.`;
    }
  }
}
