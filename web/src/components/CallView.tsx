import type { CallSession, CallView as View } from "../call/call-session";
import { gridShape } from "../state/call";
import { CallControls } from "./CallControls";
import { CallTile } from "./CallTile";
import "../call/call.css";

// The call, in the room it belongs to: a grid of everyone in it (one tile each, from one to six,
// laid out as square as the count allows), a line that says in words what happened, and the
// controls. While another room is open the call shrinks to FloatingCall instead.

export function nameIn(view: View, userId: string): string {
  return view.room?.members.find((member) => member.userId === userId)?.displayName ?? "Someone";
}

/** The one line under the grid: why it ended, what went wrong, what just happened, or who is here. */
function statusLine(view: View): string {
  if (view.status === "ended") return view.ended ?? "The call ended.";
  if (view.connection === "reconnecting" || view.connection === "offline")
    return "Your connection dropped. Reconnecting to the call…";
  if (view.notice) return view.notice;
  if (view.status === "joining") return "Joining the call…";
  if (view.status === "ringing") {
    const other = view.room?.members.find((member) => member.userId !== view.me.userId);
    return `Calling ${other?.displayName ?? "them"}…`;
  }
  const count = view.others.length + 1;
  return count === 1 ? "You are the only one here." : `${count} people in the call`;
}

export function CallView({ view, session }: { view: View; session: CallSession }) {
  const tiles = [...view.others, view.me];
  const { columns, rows } = gridShape(tiles.length);
  return (
    <section class={`call-view ${view.status}`} aria-label="Call">
      <div
        class="call-grid"
        // call.css sizes the tiles from these; a last row that is not full is centred.
        style={{ "--columns": columns, "--rows": rows }}
      >
        {tiles.map((tile) => (
          <CallTile key={tile.userId} tile={tile} name={nameIn(view, tile.userId)} />
        ))}
      </div>
      {view.problem && (
        <p class="call-problem" role="alert">
          {view.problem}
        </p>
      )}
      <div class="call-bar">
        <p class="call-status" role="status">
          {statusLine(view)}
        </p>
        {view.status !== "ended" && <CallControls view={view} session={session} />}
      </div>
    </section>
  );
}
