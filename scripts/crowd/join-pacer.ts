// Staggers the crowd's guest joins: at most `perSecond` start each second, and a 429 (the room's
// own limit on guests per invite link) pauses every join until its Retry-After and halves the
// pace, which then recovers while joins succeed. A big crowd arrives as a stream under the limit
// instead of hammering it. The joins in flight when the limit is reached are all refused
// together: that is one refusal, and halves the pace once (eight halvings took the pace to its
// floor of one a second, and a 1,000-guest room 50 s to get in).
import { pause } from "./pause";

/** A refused join costs a request and a log line on the server; recover the pace slowly. */
const RECOVERY = 1.05;
const SLOWEST_PER_SECOND = 1;

export class JoinPacer {
  private perSecond: number;
  private nextAt = 0;
  private pausedUntil = 0;

  constructor(private readonly fastest: number) {
    this.perSecond = fastest;
  }

  /** Waits for the next join's turn (returns at once when stopped). */
  async turn(signal: AbortSignal): Promise<void> {
    const at = Math.max(Date.now(), this.nextAt);
    this.nextAt = at + 1000 / this.perSecond;
    await pause(at - Date.now(), signal);
    // A 429 seen by another join while this one waited holds it too.
    while (!signal.aborted && Date.now() < this.pausedUntil) await pause(this.pausedUntil - Date.now(), signal);
  }

  /** A join was refused with a 429 (`now`: for tests). */
  limited(retryAfterMs: number, now = Date.now()): void {
    const alreadyPaused = now < this.pausedUntil;
    this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    this.nextAt = Math.max(this.nextAt, this.pausedUntil);
    if (!alreadyPaused) this.perSecond = Math.max(SLOWEST_PER_SECOND, this.perSecond / 2);
  }

  /** Joins started per second now. */
  get pace(): number {
    return this.perSecond;
  }

  joined(): void {
    this.perSecond = Math.min(this.fastest, this.perSecond * RECOVERY);
  }
}
