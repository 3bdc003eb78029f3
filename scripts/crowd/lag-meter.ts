// How far a screen's total trails the commits, shared by `npm run crowd` and the bench's room
// scenario. A batch's lag runs from the moment its answer arrived (the answer's `total` is the
// game's total right after that commit) to the moment the screen first received a total that
// reached it; 0 when one had already arrived. The answer is the first moment a client can know
// of the commit, so this slightly understates the lag by the answer's own way back.
import { Samples } from "./percentiles";

export class LagMeter {
  readonly lag = new Samples();
  /** The highest total received so far: what the screen shows. */
  shown = 0;
  /** Committed totals not on screen yet, ascending, with when their answer arrived. */
  private pending: Array<{ total: number; at: number }> = [];

  /** A batch's answer said the game's total reached `total`. */
  committed(total: number, at = performance.now()): void {
    if (total <= this.shown) return this.lag.record(0);
    let index = this.pending.length;
    while (index > 0 && (this.pending[index - 1]?.total ?? 0) > total) index -= 1;
    this.pending.splice(index, 0, { total, at });
  }

  /** The screen received a notification carrying the game's total. */
  show(total: number, at = performance.now()): void {
    if (total <= this.shown) return;
    this.shown = total;
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
}
