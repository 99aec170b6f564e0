import type { RingingStopped } from "../protocol/calls";
import type { ChannelFrame } from "../protocol/frames";
import { sendToUser } from "../user-channel/client";
import type { RoomParts } from "./parts";

// Ringing, for calls in a direct room: the first join rings the other person on every device they
// have, through their own channel (they need not have the room open), with `call_ringing`. It
// stops everywhere with `call_ringing_stopped` and why: they answered (joined, on any device),
// declined, missed it (CALL_RING_MS without either: the alarm decides, see ./calls.ts), or the
// caller gave up first (cancelled). Both people hear the stop: the caller's app stops its ringback.
// Whom it rings and until when is in SQLite (store/calls.ts), so it survives hibernation.

export class Ringing {
  constructor(private readonly parts: RoomParts) {}

  /** A direct call just started: ring `calleeId` until `until` (ms). */
  start(callerId: string, calleeId: string, until: number): void {
    this.parts.store.calls.ring(calleeId, until);
    this.tell(calleeId, { type: "call_ringing", roomId: this.roomId(), fromUserId: callerId });
    this.parts.ctx.waitUntil(this.parts.alarms.schedule());
  }

  /** Whom the call rings now, or null. */
  callee(): string | null {
    return this.parts.store.calls.current()?.ringing?.userId ?? null;
  }

  /** When it stops by itself (ms), or null when nothing rings. */
  dueAt(): number | null {
    return this.parts.store.calls.current()?.ringing?.until ?? null;
  }

  stop(reason: RingingStopped): void {
    const call = this.parts.store.calls.current();
    if (!call?.ringing) return;
    this.parts.store.calls.stopRinging();
    const frame: ChannelFrame = { type: "call_ringing_stopped", roomId: this.roomId(), reason };
    for (const userId of new Set([call.ringing.userId, call.startedBy])) this.tell(userId, frame);
  }

  private roomId(): string {
    return this.parts.store.meta.get("roomId") ?? "";
  }

  private tell(userId: string, frame: ChannelFrame): void {
    this.parts.ctx.waitUntil(sendToUser(this.parts.env, userId, frame).then(() => undefined));
  }
}
