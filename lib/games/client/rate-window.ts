// Clicks per second over the last minute, as counts per epoch second: seeded by the server render
// (lib/games/click-history.ts), then fed by successive `tally` totals, stamped by the server's clock.
export const RATE_WINDOW_SECONDS = 60;
/** The "now" rate is the average of the last few whole seconds, so it does not flicker. */
const CURRENT_RATE_SECONDS = 5;

export type RateCounts = ReadonlyMap<number, number>;

/** `counts` plus `count` clicks at server time `atMs`, without seconds older than the window. */
export function withClicks(counts: RateCounts, atMs: number, count: number, nowMs: number): RateCounts {
  const oldest = Math.floor(nowMs / 1000) - RATE_WINDOW_SECONDS;
  const second = Math.floor(atMs / 1000);
  const next = new Map([...counts].filter(([at]) => at > oldest));
  if (second > oldest) next.set(second, (next.get(second) ?? 0) + count);
  return next;
}

/** Clicks in each of the last RATE_WINDOW_SECONDS whole seconds before `nowMs`, oldest first. */
export function perSecond(counts: RateCounts, nowMs: number): number[] {
  const current = Math.floor(nowMs / 1000);
  return Array.from(
    { length: RATE_WINDOW_SECONDS },
    (_, index) => counts.get(current - RATE_WINDOW_SECONDS + index) ?? 0,
  );
}

/** The recent rate, in clicks per second (one decimal). */
export function currentRate(series: readonly number[]): number {
  const recent = series.slice(-CURRENT_RATE_SECONDS);
  const total = recent.reduce((sum, value) => sum + value, 0);
  return Math.round((total / Math.max(1, recent.length)) * 10) / 10;
}

/** The counts, and the total they have counted up to (the render's total, then each tally's). */
export type TotalRate = { counts: RateCounts; total: number };

/**
 * The clicks between the last total and this one, counted at this tally's time (a tally says how
 * far the total got, not when each click was: one window, 100 ms, is the chart's blur). A total
 * not above the last one (a replayed or out-of-order tally) adds nothing.
 */
export function withTotal(rate: TotalRate, total: number, atMs: number, nowMs: number): TotalRate {
  if (!(total > rate.total)) return rate;
  return { counts: withClicks(rate.counts, atMs, total - rate.total, nowMs), total };
}
