// Client-side pacing: a token bucket per player that mirrors the server's click rate limit, so
// the bench measures accepted batches instead of provoking 429s, and a pool that hands out
// whichever player may click next.
import type { Player, RateLimit, Target } from "./target";
import { now, sleep } from "./clock";

export class Pacer {
  private tokens: number;
  private refilledAt = now();

  constructor(private readonly limit: RateLimit | null) {
    this.tokens = limit?.burst ?? 0;
  }

  /** Milliseconds until a token is available (0: now). */
  waitMs(at = now()): number {
    if (!this.limit) return 0;
    this.tokens = Math.min(this.limit.burst, this.tokens + ((at - this.refilledAt) / 1000) * this.limit.perSecond);
    this.refilledAt = at;
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.limit.perSecond) * 1000;
  }

  /** Waits for a token and takes it. */
  async take(): Promise<void> {
    for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) await sleep(Math.ceil(wait));
    if (this.limit) this.tokens -= 1;
  }
}

const pacers = new WeakMap<Target, Map<number, Pacer>>();

/** The player's one pacer for the whole run: a fresh full bucket could overrun the server's. */
export function pacerOf(target: Target, player: Player): Pacer {
  let ofTarget = pacers.get(target);
  if (!ofTarget) pacers.set(target, (ofTarget = new Map()));
  let pacer = ofTarget.get(player.id);
  if (!pacer) ofTarget.set(player.id, (pacer = new Pacer(target.rateLimit)));
  return pacer;
}

/** Players in turn, skipping those who would be over the rate limit. */
export class PlayerPool {
  private readonly pacers: Pacer[];
  private cursor = 0;

  constructor(
    target: Target,
    private readonly players: readonly Player[] = target.players,
  ) {
    this.pacers = players.map((player) => pacerOf(target, player));
  }

  async next(): Promise<Player> {
    for (;;) {
      const at = now();
      let soonest = Infinity;
      for (let step = 0; step < this.players.length; step += 1) {
        const index = (this.cursor + step) % this.players.length;
        const wait = this.pacers[index]?.waitMs(at) ?? Infinity;
        if (wait === 0) {
          this.cursor = index + 1;
          await this.pacers[index]?.take();
          return this.players[index] as Player;
        }
        soonest = Math.min(soonest, wait);
      }
      await sleep(Math.max(1, Math.ceil(soonest)));
    }
  }
}
