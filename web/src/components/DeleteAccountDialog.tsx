import { useState } from "preact/hooks";
import { done } from "../api/answers";
import { api } from "../api/client";
import { forgetSession } from "../api/session";
import { FormDialog } from "./FormDialog";

// Deleting your account, from the profile dialog. It cannot be undone, so the password is asked
// again (a borrowed, unlocked laptop is not enough) and the dialog says what stays and what goes.
// The server ends every session and closes every socket (4001); this page then shows sign-in.

export function DeleteAccountDialog({ onClose }: { onClose: () => void }) {
  const [password, setPassword] = useState("");
  async function deleteAccount() {
    if (!password) throw new Error("Enter your password to confirm.");
    await done(api.users.me.$delete({ json: { password } }));
    forgetSession();
  }
  return (
    <FormDialog
      title="Delete your account"
      intro="This cannot be undone. You are signed out everywhere; your profile becomes “Deleted user” and your username is freed after 30 days. Your messages stay in their rooms. Rooms you own pass to their longest-standing admin or member."
      submit="Delete my account"
      busy="Deleting…"
      danger
      onSubmit={deleteAccount}
      onClose={onClose}
    >
      <label for="delete-password">Your password</label>
      <input
        id="delete-password"
        type="password"
        autoComplete="current-password"
        value={password}
        data-initial-focus
        onInput={(event) => setPassword(event.currentTarget.value)}
      />
    </FormDialog>
  );
}
