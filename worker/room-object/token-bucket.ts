/**
 * A token bucket: `ratePerSecond` sustained, bursts of up to `burst`. Kept in memory on purpose:
 * a room object only hibernates after it has been idle for a while, and after any idle time the
 * bucket would be full again anyway, so losing it on hibernation changes nothing.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Takes one token; if there is none, says how many seconds until there will be. */
  take(now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerSecond)) };
  }

  /** Gives back a token taken for a send that turned out to be a repeat (which costs nothing). */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }
}

/** The message limit of one person in one room, from the MESSAGE_RATE_PER_SEC and MESSAGE_BURST settings. */
export function messageBucket(env: { MESSAGE_RATE_PER_SEC?: string; MESSAGE_BURST?: string }): TokenBucket {
  const rate = Number(env.MESSAGE_RATE_PER_SEC) || 10;
  const burst = Number(env.MESSAGE_BURST) || 20;
  return new TokenBucket(rate, burst);
}

/** The reaction limit of one person in one room, from REACTION_RATE_PER_SEC and REACTION_BURST. */
export function reactionBucket(env: {
  REACTION_RATE_PER_SEC?: string;
  REACTION_BURST?: string;
}): TokenBucket {
  const rate = Number(env.REACTION_RATE_PER_SEC) || 5;
  const burst = Number(env.REACTION_BURST) || 20;
  return new TokenBucket(rate, burst);
}
