// How far a screen's total trails the commits, shared by `npm run crowd` and the bench's room
// scenario. A batch's lag runs from its commit to the moment the screen first received a total
// that reached it (0 when that came first). The commit's moment is the best a client can know:
// the bench's probe stamps when the server wrote the answer (tests/bench/server-probe.mjs), and
// without it (`npm run crowd`) the answer's arrival stands in, which understates the lag by the
// answer's way back.
import { Samples } from "./percentiles";

type Stamped = { total: number; at: number };

export class LagMeter {
  readonly lag = new Samples();
  /** The highest total received so far: what the screen shows. */
  shown = 0;
  /**
   * Each total that raised the screen's, with when it arrived (ascending in both), so that a commit
   * known only after its total was shown still gets its lag. One entry per notification that
   * raised the total: a few a second.
   */
  private readonly shows: Stamped[] = [];
  /** Committed totals not on screen yet, ascending, with when they were committed. */
  private readonly pending: Stamped[] = [];

  /** A batch's answer said the game's total reached `total`, committed at `at`. */
  committed(total: number, at = performance.now()): void {
    if (total <= this.shown) return this.lag.record(this.firstShowReaching(total) - at);
    let index = this.pending.length;
    while (index > 0 && (this.pending[index - 1]?.total ?? 0) > total) index -= 1;
    this.pending.splice(index, 0, { total, at });
  }

  /** The screen received a notification carrying the game's total. */
  show(total: number, at = performance.now()): void {
    if (total <= this.shown) return;
    this.shown = total;
    this.shows.push({ total, at });
    let shown = 0;
    while (shown < this.pending.length && (this.pending[shown]?.total ?? Infinity) <= total) {
      this.lag.record(at - (this.pending[shown]?.at ?? at));
      shown += 1;
    }
    this.pending.splice(0, shown);
  }

  /** Acknowledged totals the screen never showed (at the end: should be 0). */
  get unshown(): number {
    return this.pending.length;
  }

  /** When the screen first showed a total of at least `total` (one it has shown). */
  private firstShowReaching(total: number): number {
    let low = 0;
    let high = this.shows.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.shows[middle]?.total ?? Infinity) >= total) high = middle;
      else low = middle + 1;
    }
    return this.shows[low]?.at ?? -Infinity;
  }
}
