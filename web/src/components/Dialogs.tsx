import { useEffect, useRef, useState } from "preact/hooks";
import { answer } from "../api/answers";
import { api } from "../api/client";
import { type Session, updateUser } from "../api/session";
import type { DiscoveredRoom, PublicProfile } from "../api/types";
import { describeError } from "../format";
import { unblock, useBlocked } from "../people/blocks";
import { navigate } from "../router";
import type { Sentence as Words } from "../state/sentence";
import { Avatar } from "./Avatar";
import { AvatarEditor } from "./AvatarEditor";
import { Dialog } from "./Dialog";
import { Sentence } from "./Sentence";

// The dialogs of the sidebar: create a room, browse and join public rooms, start a direct chat,
// edit your profile and see whom you blocked.

/** A refusal as the dialogs show it: the server's message, its times in the reader's own. */
const message = describeError;

export function CreateRoomDialog({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState("");
  const [topic, setTopic] = useState("");
  const [kind, setKind] = useState<"public" | "private">("public");
  const [error, setError] = useState<string | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    if (!name.trim()) return setError("Give the room a name.");
    try {
      const room = await answer(api.rooms.$post({ json: { name: name.trim(), kind, topic } }));
      onClose();
      navigate(`/rooms/${room.id}`);
    } catch (failure) {
      setError(message(failure));
    }
  }
  return (
    <Dialog title="Create a room" onClose={onClose}>
      <form onSubmit={submit} class="stack">
        <label for="room-name">Name</label>
        <input id="room-name" value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="room-topic">Topic (optional)</label>
        <input
          id="room-topic"
          value={topic}
          maxLength={250}
          onInput={(e) => setTopic(e.currentTarget.value)}
        />
        <fieldset class="kind">
          <legend>Who can join</legend>
          <label>
            <input type="radio" name="kind" checked={kind === "public"} onChange={() => setKind("public")} />{" "}
            Public: anyone can find and join it
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              checked={kind === "private"}
              onChange={() => setKind("private")}
            />{" "}
            Private: members are added by you or an admin
          </label>
        </fieldset>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary">
          Create room
        </button>
      </form>
    </Dialog>
  );
}

export function DiscoverDialog({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [rooms, setRooms] = useState<DiscoveredRoom[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      answer(api.rooms.discover.$get({ query: { q: query } }))
        .then((found) => setRooms(found.rooms))
        .catch((failure) => setError(message(failure)));
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);
  async function join(room: DiscoveredRoom) {
    try {
      await answer(api.rooms[":roomId"].join.$post({ param: { roomId: room.id } }));
      onClose();
      navigate(`/rooms/${room.id}`);
    } catch (failure) {
      setError(message(failure));
    }
  }
  return (
    <Dialog title="Browse public rooms" onClose={onClose}>
      <label for="discover-q">Search rooms</label>
      <input id="discover-q" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <ul class="pick-list">
        {rooms?.length === 0 && (
          <li class="muted">No public rooms to join{query ? ` matching “${query}”` : ""}.</li>
        )}
        {rooms?.map((room) => (
          <li key={room.id}>
            <span class="pick-text">
              <strong>
                # <bdi>{room.name}</bdi>
              </strong>
              <span class="muted">
                {room.memberCount} {room.memberCount === 1 ? "member" : "members"}
                {room.topic ? " · " : ""}
                {room.topic && <bdi>{room.topic}</bdi>}
              </span>
            </span>
            <button type="button" onClick={() => join(room)} aria-label={`Join # ${room.name}`}>
              Join
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

/** People search, used to start a direct chat and to add members to a room. */
export function PeoplePicker(props: { action: string; onPick: (person: PublicProfile) => Promise<void> }) {
  const [query, setQuery] = useState("");
  const [people, setPeople] = useState<PublicProfile[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => {
      answer(api.users.$get({ query: { q: query, limit: 20 } }))
        .then((found) => setPeople(found.users))
        .catch((failure) => setError(message(failure)));
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <>
      <label for="people-q">Search people by username</label>
      <input id="people-q" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <ul class="pick-list">
        {people?.length === 0 && <li class="muted">Nobody found.</li>}
        {people?.map((person) => (
          <li key={person.id}>
            <Avatar name={person.displayName} id={person.id} online={person.online} url={person.avatarUrl} />
            <span class="pick-text">
              <strong>
                <bdi>{person.displayName}</bdi>
              </strong>
              <span class="muted">@{person.username}</span>
            </span>
            <button
              type="button"
              onClick={() => props.onPick(person).catch((failure) => setError(message(failure)))}
              aria-label={`${props.action} ${person.displayName}`}
            >
              {props.action}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

export function DirectDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="New direct message" onClose={onClose}>
      <PeoplePicker
        action="Message"
        onPick={async (person) => {
          const room = await answer(api.rooms.direct.$post({ json: { userId: person.id } }));
          onClose();
          navigate(`/rooms/${room.id}`);
        }}
      />
    </Dialog>
  );
}

export function ProfileDialog(props: { session: Session; onClose: () => void; onDeleteAccount: () => void }) {
  const { session, onClose } = props;
  const [displayName, setDisplayName] = useState(session.user.displayName);
  const [bio, setBio] = useState(session.user.bio);
  const [status, setStatus] = useState<string | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    try {
      const user = await answer(api.users.me.$patch({ json: { displayName, bio } }));
      updateUser(user);
      setStatus("Saved.");
    } catch (failure) {
      setStatus(message(failure));
    }
  }
  return (
    <Dialog title="Your profile" onClose={onClose}>
      <AvatarEditor session={session} />
      <form onSubmit={submit} class="stack">
        <p class="muted">@{session.user.username}</p>
        <label for="profile-name">Display name</label>
        <input
          id="profile-name"
          value={displayName}
          maxLength={64}
          onInput={(e) => setDisplayName(e.currentTarget.value)}
        />
        <label for="profile-bio">Bio</label>
        <textarea
          id="profile-bio"
          value={bio}
          maxLength={500}
          rows={4}
          onInput={(e) => setBio(e.currentTarget.value)}
        />
        <p class="muted counter">{500 - [...bio].length} characters left</p>
        {status && (
          <p class="status" role="status">
            {status}
          </p>
        )}
        <button type="submit" class="primary">
          Save
        </button>
      </form>
      <BlockedPeople me={session.user.id} />
      <section class="danger-zone" aria-labelledby="delete-heading">
        <h3 id="delete-heading">Delete account</h3>
        <p class="muted">Sign out everywhere and remove your profile for good.</p>
        <button type="button" class="danger" onClick={props.onDeleteAccount}>
          Delete account…
        </button>
      </section>
    </Dialog>
  );
}

/**
 * The people you blocked, each with Unblock. The row goes once unblocked, so the focus goes to the
 * list's heading and the outcome is said here (a toast behind the modal dialog would not be heard).
 */
function BlockedPeople({ me }: { me: string }) {
  const people = useBlocked(me);
  const heading = useRef<HTMLHeadingElement>(null);
  const [status, setStatus] = useState<Words>([]);
  async function unblockPerson(person: PublicProfile) {
    const name = { typed: person.displayName };
    try {
      await unblock(me, person.id);
      setStatus(["You unblocked ", name, "."]);
      heading.current?.focus();
    } catch (failure) {
      setStatus(["Could not unblock ", name, `: ${message(failure)}`]);
    }
  }
  return (
    <section class="blocked-people" aria-labelledby="blocked-heading">
      <h3 id="blocked-heading" ref={heading} tabIndex={-1}>
        Blocked people
      </h3>
      <p class="muted blocked-intro">They cannot message you in a direct room or start one with you.</p>
      <ul class="pick-list">
        {people === null && <li class="muted">Loading…</li>}
        {people?.length === 0 && <li class="muted">You have not blocked anyone.</li>}
        {people?.map((person) => (
          <li key={person.id}>
            <Avatar name={person.displayName} id={person.id} />
            <span class="pick-text">
              <strong>
                <bdi>{person.displayName}</bdi>
              </strong>
              <span class="muted">@{person.username}</span>
            </span>
            <button
              type="button"
              onClick={() => unblockPerson(person)}
              aria-label={`Unblock ${person.displayName}`}
            >
              Unblock
            </button>
          </li>
        ))}
      </ul>
      <p class="status" role="status">
        <Sentence words={status} />
      </p>
    </section>
  );
}
