// Latency samples of a crowd run (batch answers, projector lag) in an HDR histogram: constant
// memory however long the rehearsal, and percentiles to three significant digits.
import { build, type Histogram } from "hdr-histogram-js";

export type Percentiles = { count: number; p50: number; p99: number; max: number };

export class Samples {
  /** Microseconds from 1 µs to 10 min: a sample of 0 ms (already on screen) is kept as 1 µs. */
  private readonly histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });

  /** Records one sample given in milliseconds (negative ones count as 0). */
  record(ms: number): void {
    this.histogram.recordValue(Math.min(600_000_000, Math.max(1, Math.round(ms * 1000))));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  summary(): Percentiles {
    const at = (percentile: number) => this.histogram.getValueAtPercentile(percentile) / 1000;
    return { count: this.histogram.totalCount, p50: at(50), p99: at(99), max: this.histogram.maxValue / 1000 };
  }
}

/** "p50 12 ms · p99 340 ms" (or "no samples"), milliseconds rounded for a terminal line. */
export function describe(summary: Percentiles): string {
  if (summary.count === 0) return "no samples";
  const ms = (value: number) => (value >= 10 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1));
  return `p50 ${ms(summary.p50)} ms · p99 ${ms(summary.p99)} ms`;
}
