import { useEffect, useState } from "preact/hooks";
import { answer, done } from "../api/answers";
import { api } from "../api/client";
import type { PublicProfile } from "../api/types";
import { showError } from "../components/Toasts";

// The people you blocked (API.md: they cannot open a direct room with you or message you in one),
// held once for the whole page, so that the profile dialog, a direct room's profile and the member
// menu agree the moment any of them blocks or unblocks someone. The list belongs to whoever is
// signed in: another account in the same tab loads its own.

type Blocked = { me: string; people: PublicProfile[] };

let blocked: Blocked | null = null;
/** Whose list is on its way: components that mount together share one request. */
let loadingFor: string | null = null;
const listeners = new Set<() => void>();

async function load(me: string): Promise<void> {
  const { users } = await answer(api.users.me.blocks.$get());
  blocked = { me, people: users };
  for (const listener of listeners) listener();
}

/** The people `me` blocked, kept live; null until loaded. */
export function useBlocked(me: string): PublicProfile[] | null {
  const [, changed] = useState(0);
  useEffect(() => {
    const listener = () => changed((count) => count + 1);
    listeners.add(listener);
    if (blocked?.me !== me && loadingFor !== me) {
      loadingFor = me;
      load(me)
        .catch((error) => showError("Could not load the people you blocked", error))
        .finally(() => {
          loadingFor = null;
        });
    }
    return () => listeners.delete(listener);
  }, [me]);
  return blocked?.me === me ? blocked.people : null;
}

export function isBlocked(people: PublicProfile[] | null, userId: string): boolean {
  return people?.some((person) => person.id === userId) ?? false;
}

/** Blocks someone; throws the server's refusal. The list reloads from the server's answer. */
export async function block(me: string, userId: string): Promise<void> {
  await done(api.users[":userId"].block.$post({ param: { userId } }));
  await load(me);
}

export async function unblock(me: string, userId: string): Promise<void> {
  await done(api.users[":userId"].block.$delete({ param: { userId } }));
  await load(me);
}
