import { useEffect, useState } from "preact/hooks";
import { answer } from "../api/answers";
import { api } from "../api/client";
import type { Member, PublicProfile } from "../api/types";
import { relativeTime } from "../format";
import { Avatar } from "./Avatar";
import { BlockButton } from "./BlockControls";

// A direct room's side panel: the other person, rather than a member list of two, and the way to
// block them (a direct room has no moderators: blocking is what stops someone here).

export function PeerPanel(props: { me: string; peer: Member; online: boolean; onClose: () => void }) {
  const { peer } = props;
  const [profile, setProfile] = useState<PublicProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    answer(api.users[":userId"].$get({ param: { userId: peer.userId } }))
      .then(setProfile)
      .catch((failure) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, [peer.userId]);
  const lastSeen = profile?.lastSeenAt
    ? `offline · last seen ${relativeTime(profile.lastSeenAt)}`
    : "offline";
  return (
    <aside class="member-panel" aria-label={`Profile of ${peer.displayName}`}>
      <header class="panel-header">
        <h2>Profile</h2>
        <button type="button" class="icon-button" aria-label="Close profile" onClick={props.onClose}>
          ✕
        </button>
      </header>
      <div class="peer">
        <Avatar name={peer.displayName} id={peer.userId} online={props.online} url={peer.avatarUrl} />
        <strong>
          <bdi>{peer.displayName}</bdi>
        </strong>
        <span class="muted">@{peer.username}</span>
        <span class="muted">{props.online ? "online" : lastSeen}</span>
        {profile?.bio && <p class="bio">{profile.bio}</p>}
        <div class="peer-actions">
          <BlockButton me={props.me} person={peer} />
        </div>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </aside>
  );
}
