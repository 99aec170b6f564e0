import { useEffect, useState } from "preact/hooks";
import { answer } from "../api/answers";
import { api } from "../api/client";
import type { Member } from "../api/types";

// Names for the moderation lists, which speak of people by id: most are in the room's member list,
// but someone banned or removed is not, so their public profile is fetched, once per person.

const fetched = new Map<string, string>();
const inFlight = new Set<string>();
const listeners = new Set<() => void>();
const UNKNOWN = "someone";

function fetchName(userId: string): void {
  inFlight.add(userId);
  answer(api.users[":userId"].$get({ param: { userId } }))
    .then((profile) => fetched.set(userId, profile.displayName))
    .catch(() => fetched.set(userId, "a former member"))
    .finally(() => {
      inFlight.delete(userId);
      for (const listener of listeners) listener();
    });
}

/** A function from a user id to a display name; unknown names arrive by themselves (a re-render). */
export function useNames(userIds: string[], members: Member[]): (userId: string) => string {
  const [, changed] = useState(0);
  const wanted = [...new Set(userIds)].sort().join("\n");
  useEffect(() => {
    const listener = () => changed((count) => count + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  useEffect(() => {
    const inRoom = new Set(members.map((member) => member.userId));
    for (const userId of wanted.split("\n")) {
      if (userId && !inRoom.has(userId) && !fetched.has(userId) && !inFlight.has(userId)) fetchName(userId);
    }
  }, [wanted, members]);
  return (userId) =>
    members.find((member) => member.userId === userId)?.displayName ?? fetched.get(userId) ?? UNKNOWN;
}
