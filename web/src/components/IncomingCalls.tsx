import { useEffect, useState } from "preact/hooks";
import { answer } from "../api/answers";
import { api } from "../api/client";
import { calls, useCalls } from "../call/calls";
import type { Ring } from "../state/call";
import { Avatar } from "./Avatar";
import { CameraIcon, HangUpIcon, PhoneIcon } from "./CallIcons";
import "../call/call.css";

// A call that rings us (from our own channel, on every device we have open): who calls, and answer
// with video, with sound only, or decline. It is announced, not focused: taking the focus from
// whatever someone is typing would be rude; Tab reaches the buttons.

export function IncomingCalls({ me }: { me: string }) {
  const { rings } = useCalls();
  if (rings.length === 0) return null;
  return (
    <div class="incoming-calls">
      {rings.map((ring) => (
        <IncomingCall key={ring.roomId} ring={ring} me={me} />
      ))}
    </div>
  );
}

function IncomingCall({ ring, me }: { ring: Ring; me: string }) {
  const name = useCallerName(ring.fromUserId);
  return (
    <section
      class="incoming-call"
      role="alertdialog"
      aria-label={`Call from ${name}`}
      aria-describedby={`ring-${ring.roomId}`}
    >
      <Avatar name={name} id={ring.fromUserId} />
      <p id={`ring-${ring.roomId}`}>
        <strong>
          <bdi>{name}</bdi>
        </strong>{" "}
        is calling you…
      </p>
      <div class="incoming-call-actions">
        <button
          type="button"
          class="call-control hang-up"
          aria-label={`Decline call from ${name}`}
          onClick={() => void calls.decline(ring)}
        >
          <HangUpIcon />
        </button>
        <button
          type="button"
          class="call-control answer"
          aria-label="Answer with sound only"
          onClick={() => void calls.accept(ring, me, false)}
        >
          <PhoneIcon />
        </button>
        <button
          type="button"
          class="call-control answer"
          aria-label="Answer with video"
          onClick={() => void calls.accept(ring, me, true)}
        >
          <CameraIcon />
        </button>
      </div>
    </section>
  );
}

function useCallerName(userId: string): string {
  const [name, setName] = useState("Someone");
  useEffect(() => {
    answer(api.users[":userId"].$get({ param: { userId } }))
      .then((profile) => setName(profile.displayName))
      .catch(() => undefined);
  }, [userId]);
  return name;
}
