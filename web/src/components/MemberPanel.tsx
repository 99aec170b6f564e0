import { useState } from "preact/hooks";
import { answer, done } from "../api/answers";
import { api } from "../api/client";
import type { Member, RoomDetail } from "../api/types";
import { navigate } from "../router";
import { Avatar } from "./Avatar";
import { ConfirmDialog } from "./ConfirmDialog";
import { Dialog } from "./Dialog";
import { PeoplePicker } from "./Dialogs";

// Who is in the room and who is online; owners and admins add and remove people here.

export function MemberPanel(props: {
  room: RoomDetail;
  me: string;
  isOnline: (member: Member) => boolean;
  onChanged: () => void;
  onClose: () => void;
}) {
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { room } = props;
  const canManage = room.kind !== "direct" && (room.role === "owner" || room.role === "admin");

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
        <h2>Members ({room.members.length})</h2>
        <button type="button" class="icon-button" aria-label="Close members" onClick={props.onClose}>
          ✕
        </button>
      </header>
      {room.topic && <p class="muted pad">{room.topic}</p>}
      <ul class="members">
        {room.members.map((member) => {
          const online = props.isOnline(member);
          return (
            <li key={member.userId}>
              <Avatar name={member.displayName} id={member.userId} online={online} />
              <span class="pick-text">
                <strong>
                  {member.displayName}
                  {member.userId === props.me ? " (you)" : ""}
                </strong>
                <span class="muted">
                  {online ? "online" : "offline"}
                  {member.role !== "member" ? ` · ${member.role}` : ""}
                </span>
              </span>
              {canManage &&
                member.userId !== props.me &&
                (room.role === "owner" || member.role === "member") && (
                  <button
                    type="button"
                    class="link-button"
                    aria-label={`Remove ${member.displayName}`}
                    onClick={() =>
                      run(() =>
                        done(
                          api.rooms[":roomId"].members[":userId"].$delete({
                            param: { roomId: room.id, userId: member.userId },
                          }),
                        ),
                      )
                    }
                  >
                    Remove
                  </button>
                )}
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
          title={`Delete # ${room.name}`}
          message={`Delete # ${room.name} and all its messages for everyone? This cannot be undone.`}
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
        <Dialog title={`Add people to # ${room.name}`} onClose={() => setAdding(false)}>
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
    </aside>
  );
}
