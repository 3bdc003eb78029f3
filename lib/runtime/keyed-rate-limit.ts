// Rate limits per key (a user id, a client address, a nickname), from rate-limiter-flexible. In
// this process's memory by default; once the server's start-up shares its Redis client
// (shareRateLimits), in Redis, so N nodes give one budget, not N, with the in-memory limiter as
// the library's insurance while Redis is away (each node then counts alone until it is back).
//
// A limit is written as a token bucket (a burst, then `perSecond`) and kept as the library's
// window of `burst` points per `burst / perSecond` seconds: the same average and burst, though a
// caller can spend one window's burst at its end and the next one's at once (twice the burst in a
// moment, never more in a window). In memory, a key's entry lives for its window: the keys held
// are bounded by how fast callers can bring new ones (a flood of made-up usernames at 2,000
// sign-in posts a second holds about 120,000 for a minute, some tens of MiB), not by a count.
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { processSingleton } from "./process-singleton";

/** How long a limit waits for Redis before it counts in memory (a local Redis answers in about 1 ms). */
const REDIS_ANSWER_MS = 250;

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A node-redis client (the bus's link) and the key prefix of this deployment. */
export type SharedRateStore = { client: object; prefix: string };

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "rate-limit-store": { shared: SharedRateStore | null };
  }
}

const store = () => processSingleton("rate-limit-store", () => ({ shared: null as SharedRateStore | null }));

/** From now on every limit of this process counts in Redis, shared with the other nodes. */
export function shareRateLimits(shared: SharedRateStore | null): void {
  store().shared = shared;
}

export class KeyedRateLimit<K extends string | number> {
  private readonly points: number;
  private readonly duration: number;
  private built: { shared: SharedRateStore | null; limiter: RateLimiterAbstract } | undefined;

  /** `name`: the limit's part of the Redis key, unique per limit. */
  constructor(
    private readonly name: string,
    burst: number,
    perSecond: number,
  ) {
    this.points = Math.max(1, Math.floor(burst));
    this.duration = Math.max(1, Math.round(this.points / perSecond));
  }

  private limiter(): RateLimiterAbstract {
    const { shared } = store();
    if (this.built?.shared === shared) return this.built.limiter;
    const memory = new RateLimiterMemory({ points: this.points, duration: this.duration });
    const limiter = shared
      ? new RLWrapperTimeouts({
          limiter: new RateLimiterRedis({
            storeClient: shared.client,
            useRedisPackage: true,
            keyPrefix: `${shared.prefix}:rate:${this.name}`,
            points: this.points,
            duration: this.duration,
            // A node-redis client queues commands while disconnected: ask the insurance at once instead.
            rejectIfRedisNotReady: true,
          }),
          // A connection that is up but black-holed answers nothing until its socket times out
          // (seconds): the request asks the insurance instead of waiting.
          timeoutMs: REDIS_ANSWER_MS,
          insuranceLimiter: memory,
        })
      : memory;
    this.built = { shared, limiter };
    return limiter;
  }

  async take(key: K): Promise<RateDecision> {
    try {
      await this.limiter().consume(String(key));
      return { ok: true };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }
}
