import { useState } from "preact/hooks";
import { block, isBlocked, unblock, useBlocked } from "../people/blocks";
import { ConfirmDialog } from "./ConfirmDialog";
import { showError, showNotice } from "./Toasts";

// Blocking someone (API.md: they can no longer open a direct room with you or message you in one)
// asks first, in the app's own dialog; unblocking does not, since it only undoes a block and can be
// blocked again at once. Used on a direct room's profile and in the member menu.

type Person = { userId: string; displayName: string };

export function BlockConfirm(props: { me: string; person: Person; onClose: () => void }) {
  const { person } = props;
  const name = { typed: person.displayName };
  return (
    <ConfirmDialog
      title={
        <>
          Block <bdi>{person.displayName}</bdi>
        </>
      }
      message={
        <>
          <bdi>{person.displayName}</bdi> will no longer be able to message you in a direct room or start one
          with you. You can unblock them from your profile at any time.
        </>
      }
      confirm="Block"
      onCancel={props.onClose}
      onConfirm={() => {
        props.onClose();
        block(props.me, person.userId)
          .then(() => showNotice(["You blocked ", name, "."]))
          .catch((error) => showError(["Could not block ", name], error));
      }}
    />
  );
}

export function unblockPerson(me: string, person: Person): void {
  const name = { typed: person.displayName };
  unblock(me, person.userId)
    .then(() => showNotice(["You unblocked ", name, "."]))
    .catch((error) => showError(["Could not unblock ", name], error));
}

/** "Block…" or "You blocked them · Unblock", for a person's profile. */
export function BlockButton(props: { me: string; person: Person }) {
  const [asking, setAsking] = useState(false);
  const people = useBlocked(props.me);
  if (people === null) return null;
  if (isBlocked(people, props.person.userId)) {
    return (
      <p class="blocked-note">
        You blocked them.{" "}
        <button type="button" onClick={() => unblockPerson(props.me, props.person)}>
          Unblock
        </button>
      </p>
    );
  }
  return (
    <>
      <button type="button" class="danger" onClick={() => setAsking(true)}>
        Block…
      </button>
      {asking && <BlockConfirm me={props.me} person={props.person} onClose={() => setAsking(false)} />}
    </>
  );
}
