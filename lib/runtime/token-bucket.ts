// A token bucket: `burst` tokens, refilled at `perSecond`; a socket's flood guard (its messages
// and its replay work). Keyed limits shared across nodes are rate-limiter-flexible's
// (keyed-rate-limit.ts).
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.refilledAt = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
  }

  /** Takes one token; false (and nothing taken) when the bucket is empty. */
  take(now = Date.now()): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole tokens there now. */
  available(now = Date.now()): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  /** Spends `count` tokens already granted by `available` (never below zero). */
  spend(count: number): void {
    this.tokens = Math.max(0, this.tokens - count);
  }
}
