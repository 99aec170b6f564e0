import { useEffect, useRef, useState } from "preact/hooks";
import { answer, done } from "../api/answers";
import { api } from "../api/client";
import type { Member, RoomDetail } from "../api/types";
import { useBlocked } from "../people/blocks";
import { navigate } from "../router";
import { canModerate } from "../state/moderation";
import { Avatar } from "./Avatar";
import { ConfirmDialog } from "./ConfirmDialog";
import { Dialog } from "./Dialog";
import { PeoplePicker } from "./Dialogs";
import { type Asking, MemberDialog, MemberMenu } from "./MemberActions";

// Who is in the room and who is online; owners and admins add people here, and act on members
// from each one's menu (MemberActions.tsx). Anyone blocks people from the same menu.

/**
 * After we removed or banned someone, their row (and the menu button that had the focus) goes; the
 * focus would fall to the page's body, so it comes to the panel's heading instead.
 */
function useFocusAfterRemoval(members: Member[], dialogOpen: boolean) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [actedOn, setActedOn] = useState<string | null>(null);
  useEffect(() => {
    if (!actedOn || dialogOpen || members.some((member) => member.userId === actedOn)) return;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (lost) heading.current?.focus();
    setActedOn(null);
  }, [members, actedOn, dialogOpen]);
  return { heading, setActedOn };
}

export function MemberPanel(props: {
  room: RoomDetail;
  me: string;
  isOnline: (member: Member) => boolean;
  onChanged: () => void;
  onClose: () => void;
}) {
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [asking, setAsking] = useState<Asking | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { room } = props;
  const canManage = canModerate(room);
  const blocked = useBlocked(props.me);
  const focus = useFocusAfterRemoval(room.members, asking !== null);

  async function run(action: () => Promise<unknown>) {
    try {
      setError(null);
      await action();
      props.onChanged();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <aside class="member-panel" aria-label="Members">
      <header class="panel-header">
        <h2 ref={focus.heading} tabIndex={-1}>
          Members ({room.members.length})
        </h2>
        <button type="button" class="icon-button" aria-label="Close members" onClick={props.onClose}>
          ✕
        </button>
      </header>
      {room.topic && (
        <p class="muted pad">
          <bdi>{room.topic}</bdi>
        </p>
      )}
      <ul class="members">
        {room.members.map((member) => {
          const online = props.isOnline(member);
          return (
            <li key={member.userId}>
              <Avatar name={member.displayName} id={member.userId} online={online} url={member.avatarUrl} />
              <span class="pick-text">
                <strong>
                  <bdi>{member.displayName}</bdi>
                  {member.userId === props.me ? " (you)" : ""}
                </strong>
                <span class="muted">
                  {online ? "online" : "offline"}
                  {member.role !== "member" ? ` · ${member.role}` : ""}
                </span>
              </span>
              <MemberMenu
                room={room}
                me={props.me}
                member={member}
                blocked={blocked}
                onAsk={setAsking}
                onRemoving={focus.setActedOn}
              />
            </li>
          );
        })}
      </ul>
      {error && (
        <p class="form-error pad" role="alert">
          {error}
        </p>
      )}
      <div class="panel-actions">
        {canManage && (
          <button type="button" onClick={() => setAdding(true)}>
            Add people
          </button>
        )}
        {room.kind !== "direct" && (
          <button
            type="button"
            onClick={() =>
              run(async () => {
                await done(api.rooms[":roomId"].leave.$post({ param: { roomId: room.id } }));
                navigate("/");
              })
            }
          >
            Leave room
          </button>
        )}
        {room.role === "owner" && (
          <button type="button" class="danger" onClick={() => setDeleting(true)}>
            Delete room
          </button>
        )}
      </div>
      {deleting && (
        <ConfirmDialog
          title={
            <>
              Delete # <bdi>{room.name}</bdi>
            </>
          }
          message={
            <>
              Delete # <bdi>{room.name}</bdi> and all its messages for everyone? This cannot be undone.
            </>
          }
          confirm="Delete room"
          onCancel={() => setDeleting(false)}
          onConfirm={() => {
            setDeleting(false);
            void run(async () => {
              await done(api.rooms[":roomId"].$delete({ param: { roomId: room.id } }));
              navigate("/");
            });
          }}
        />
      )}
      {adding && (
        <Dialog
          title={
            <>
              Add people to # <bdi>{room.name}</bdi>
            </>
          }
          onClose={() => setAdding(false)}
        >
          <PeoplePicker
            action="Add"
            onPick={async (person) => {
              await answer(
                api.rooms[":roomId"].members.$post({
                  param: { roomId: room.id },
                  json: { userId: person.id },
                }),
              );
              setAdding(false);
              props.onChanged();
            }}
          />
        </Dialog>
      )}
      {asking && <MemberDialog room={room} me={props.me} asking={asking} onClose={() => setAsking(null)} />}
    </aside>
  );
}
