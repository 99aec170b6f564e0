import { changeRole, removeMember } from "../api/moderation";
import type { Member, PublicProfile, RoomDetail } from "../api/types";
import { isBlocked } from "../people/blocks";
import { type MemberAction, memberActions } from "../state/moderation";
import type { Sentence } from "../state/sentence";
import { ActionMenu, type MenuAction } from "./ActionMenu";
import { BlockConfirm, unblockPerson } from "./BlockControls";
import { ConfirmDialog } from "./ConfirmDialog";
import { BanDialog, MuteDialog } from "./ModerationDialogs";
import { showError, showNotice } from "./Toasts";

// One member's menu in the member panel: what an owner or admin may do to them (state/moderation.ts
// says what the server allows), and blocking, which anyone may do to anyone else. A change shows in
// the list by itself (the room's `member` frames); a refusal shows in a toast. The dialogs it opens
// belong to the panel, not to the member's row: a ban removes the row while its dialog still closes.

/** A dialog a member's menu opened, about that member. */
export type Asking = { kind: "ban" | "mute" | "owner" | "block"; member: Member };

const LABELS: Record<MemberAction, string> = {
  make_admin: "Make admin",
  remove_admin: "Remove admin",
  make_owner: "Make owner…",
  remove: "Remove from room",
  ban: "Ban…",
  mute: "Mute…",
};

const REMOVES_THE_ROW: MemberAction[] = ["remove", "ban"];

function act(failed: Sentence, succeeded: Sentence, call: () => Promise<unknown>) {
  call()
    .then(() => showNotice(succeeded))
    .catch((error) => showError(failed, error));
}

export function MemberMenu(props: {
  room: RoomDetail;
  me: string;
  member: Member;
  /** The people we blocked; null while they load (the menu offers no block until then). */
  blocked: PublicProfile[] | null;
  onAsk: (asking: Asking) => void;
  /** This member may be about to leave the list (the panel keeps the focus when their row goes). */
  onRemoving: (userId: string) => void;
}) {
  const { room, member, me } = props;
  const name = { typed: member.displayName };
  const ask = (kind: Asking["kind"]) => () => props.onAsk({ kind, member });
  const run: Record<MemberAction, () => void> = {
    make_admin: () =>
      act(["Could not make ", name, " an admin"], [name, " is now an admin."], () =>
        changeRole(room.id, member.userId, "admin"),
      ),
    remove_admin: () =>
      act(["Could not remove ", name, " as admin"], [name, " is no longer an admin."], () =>
        changeRole(room.id, member.userId, "member"),
      ),
    make_owner: ask("owner"),
    remove: () =>
      act(["Could not remove ", name], [name, " was removed from the room."], () =>
        removeMember(room.id, member.userId),
      ),
    ban: ask("ban"),
    mute: ask("mute"),
  };
  const actions: MenuAction[] = memberActions(room, me, member).map((action) => ({
    label: LABELS[action],
    run: REMOVES_THE_ROW.includes(action)
      ? () => {
          props.onRemoving(member.userId);
          run[action]();
        }
      : run[action],
  }));
  if (member.userId !== me && props.blocked !== null) {
    actions.push(
      isBlocked(props.blocked, member.userId)
        ? { label: "Unblock", run: () => unblockPerson(me, member) }
        : { label: "Block…", run: ask("block") },
    );
  }
  if (actions.length === 0) return null;
  return <ActionMenu label={`Actions for ${member.displayName}`} actions={actions} />;
}

export function MemberDialog(props: { room: RoomDetail; me: string; asking: Asking; onClose: () => void }) {
  const { room, asking, onClose } = props;
  const { member } = asking;
  switch (asking.kind) {
    case "ban":
      return <BanDialog roomId={room.id} roomName={room.name} member={member} onClose={onClose} />;
    case "mute":
      return <MuteDialog roomId={room.id} member={member} onClose={onClose} />;
    case "block":
      return <BlockConfirm me={props.me} person={member} onClose={onClose} />;
    case "owner":
      return (
        <ConfirmDialog
          title={
            <>
              Make <bdi>{member.displayName}</bdi> the owner
            </>
          }
          message={
            <>
              Hand # <bdi>{room.name}</bdi> over to <bdi>{member.displayName}</bdi>? They become its owner and
              you become an admin. Only they can give it back.
            </>
          }
          confirm="Make owner"
          onCancel={onClose}
          onConfirm={() => {
            onClose();
            const name = { typed: member.displayName };
            act(["Could not hand the room over to ", name], [name, " is now the owner."], () =>
              changeRole(room.id, member.userId, "owner"),
            );
          }}
        />
      );
  }
}
