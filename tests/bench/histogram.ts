// Latency recording with an HDR histogram (microsecond resolution, 3 significant digits), and the
// summary every scenario reports: count, p50, p95, p99 and max, in milliseconds.
import { build, type Histogram } from "hdr-histogram-js";

export type LatencySummary = { count: number; p50: number; p95: number; p99: number; max: number };

export class Latencies {
  private readonly histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });

  /** Records one latency given in milliseconds. */
  record(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  summary(): LatencySummary {
    const at = (percentile: number) => this.histogram.getValueAtPercentile(percentile) / 1000;
    return {
      count: this.histogram.totalCount,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max: this.histogram.maxValue / 1000,
    };
  }
}
