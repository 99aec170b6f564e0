import { useEffect, useState } from "preact/hooks";
import { done } from "../api/answers";
import { api, roomParam } from "../api/client";
import { CALL_RING_MS, type ChannelFrame } from "../api/types";
import { showError } from "../components/Toasts";
import { navigate } from "../router";
import { applyRingFrame, type Ring } from "../state/call";
import { CallSession, type CallView } from "./call-session";
import { Ringtone } from "./ringtone";

// The page's calls: at most one we are in (it outlives the room view it was started from, so the
// call goes on while another room is open) and the calls that ring us, from our own channel.
// Components follow it with useCalls().

/** How long an ended call stays on screen, saying why it ended. */
const ENDED_SHOWN_MS = 4000;

class Calls {
  active: CallSession | null = null;
  rings: Ring[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly ringtone = new Ringtone();
  private starting: string | null = null;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Joins (or starts) the call of a room; one call at a time. */
  async start(roomId: string, me: string, video: boolean): Promise<void> {
    if (this.active?.roomId === roomId && this.active.view().status !== "ended") return;
    if (this.active && this.active.view().status !== "ended") {
      showError("Could not join that call", "You are already in a call. Hang up first.");
      return;
    }
    if (this.starting) return;
    this.starting = roomId;
    try {
      const session = await CallSession.start(roomId, me, video);
      this.active = session;
      session.subscribe(() => this.followed(session));
      this.emit();
    } catch (error) {
      showError("Could not start the call", error);
    } finally {
      this.starting = null;
    }
  }

  /** Answers a ringing call: opens its room and joins. */
  async accept(ring: Ring, me: string, video: boolean): Promise<void> {
    this.dropRing(ring.roomId);
    navigate(`/rooms/${encodeURIComponent(ring.roomId)}`);
    await this.start(ring.roomId, me, video);
  }

  async decline(ring: Ring): Promise<void> {
    this.dropRing(ring.roomId);
    await done(api.rooms[":roomId"].call.decline.$post({ param: roomParam(ring.roomId) })).catch((error) =>
      showError("Could not decline the call", error),
    );
  }

  /** A frame of our own channel: rings start and stop, and a call we made may hear why it ended. */
  channelFrame(frame: ChannelFrame): void {
    const rings = applyRingFrame(this.rings, frame, Date.now());
    if (rings !== this.rings) {
      this.rings = rings;
      this.ringtone.set(rings.length > 0);
      // A stop that never arrives (our channel was down) must not ring forever.
      if (frame.type === "call_ringing") setTimeout(() => this.dropRing(frame.roomId), CALL_RING_MS + 5000);
      this.emit();
    }
    if (frame.type === "call_ringing_stopped" && this.active?.roomId === frame.roomId)
      this.active.ringingStopped(frame.reason);
  }

  private dropRing(roomId: string): void {
    const rings = this.rings.filter((ring) => ring.roomId !== roomId);
    if (rings.length === this.rings.length) return;
    this.rings = rings;
    this.ringtone.set(rings.length > 0);
    this.emit();
  }

  private followed(session: CallSession): void {
    if (session === this.active && session.view().status === "ended")
      setTimeout(() => {
        if (this.active !== session) return;
        this.active = null;
        this.emit();
      }, ENDED_SHOWN_MS);
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export const calls = new Calls();

/** The call we are in (as it is now) and the calls ringing us; re-renders on every change. */
export function useCalls(): { active: CallView | null; session: CallSession | null; rings: Ring[] } {
  const read = () => ({ active: calls.active?.view() ?? null, session: calls.active, rings: calls.rings });
  const [state, setState] = useState(read);
  useEffect(() => {
    setState(read());
    return calls.subscribe(() => setState(read()));
  }, []);
  return state;
}
