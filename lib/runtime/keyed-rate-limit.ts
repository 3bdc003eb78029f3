// Rate limits per key (a user id, a client address, a nickname): one token bucket per key in
// this process, with a bound on how many keys are tracked.
import { TokenBucket } from "./token-bucket";

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class KeyedRateLimit<K> {
  private readonly buckets = new Map<K, TokenBucket>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly maxKeys = 50_000,
  ) {}

  take(key: K, now = Date.now()): RateDecision {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // Forgetting everyone at the cap only ever refills buckets, so it can never over-limit.
      if (this.buckets.size >= this.maxKeys) this.buckets.clear();
      bucket = new TokenBucket(this.burst, this.perSecond, now);
      this.buckets.set(key, bucket);
    }
    if (bucket.take(now)) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(bucket.waitMs(now) / 1000)) };
  }
}
