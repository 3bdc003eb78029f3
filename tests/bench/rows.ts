// Turns the results of both targets into table rows: one figure per row, Clickbus next to the
// baseline, plus the correctness check (lost / duplicate / unexpected notifications).
import type { DeliveryCounts } from "./delivery";
import type { CatchupResult } from "./scenarios/catchup";
import type { FanoutResult } from "./scenarios/fanout";
import type { IdleResult } from "./scenarios/idle";
import type { RoomResult } from "./scenarios/room";
import type { SweepResult } from "./scenarios/sweep";
import type { ThroughputResult } from "./scenarios/throughput";
import { roomChecks, roomRows } from "./room-rows";
import { sweepChecks, sweepRows } from "./sweep-rows";
import type { TargetName } from "./target";

export type TargetResults = {
  setupSeconds: number;
  idle?: IdleResult;
  fanout?: FanoutResult[];
  throughput?: ThroughputResult[];
  catchup?: CatchupResult;
  catchupArray?: CatchupResult;
  room?: RoomResult[];
  sweep?: SweepResult;
};
export type Results = Partial<Record<TargetName, TargetResults>>;
export type Row = {
  scenario: string;
  metric: string;
  unit: string;
  clickbus?: number;
  baseline?: number;
  check: string;
};

type Pick<T> = (results: TargetResults) => T | undefined;

function checkOf(counts: Array<DeliveryCounts | undefined>): string {
  const present = counts.filter((count): count is DeliveryCounts => count !== undefined);
  const lost = present.reduce((sum, count) => sum + count.lost, 0);
  const duplicates = present.reduce((sum, count) => sum + count.duplicates, 0);
  const unexpected = present.reduce((sum, count) => sum + count.unexpected, 0);
  return lost + duplicates + unexpected === 0 ? "ok" : `LOST ${lost} DUP ${duplicates} UNEXP ${unexpected}`;
}

type Figure<T> = { metric: string; unit: string; value: (result: T) => number };

/** Rows for one result found in both targets by `pick` (or `pickBaseline` for the baseline), one per figure. */
function rowsFor<T>(
  results: Results,
  scenario: string,
  pick: Pick<T>,
  figures: Array<Figure<T>>,
  delivery?: (result: T) => DeliveryCounts,
  pickBaseline: Pick<T> = pick,
): Row[] {
  const clickbus = results.clickbus ? pick(results.clickbus) : undefined;
  const baseline = results.baseline ? pickBaseline(results.baseline) : undefined;
  if (clickbus === undefined && baseline === undefined) return [];
  return figures.map((figure, index) => ({
    scenario: index === 0 ? scenario : "",
    metric: figure.metric,
    unit: figure.unit,
    clickbus: clickbus === undefined ? undefined : figure.value(clickbus),
    baseline: baseline === undefined ? undefined : figure.value(baseline),
    check:
      index === 0 && delivery
        ? checkOf([clickbus, baseline].map((result) => (result === undefined ? undefined : delivery(result))))
        : "",
  }));
}

const KIB = 1024;

function idleRows(results: Results, levels: readonly number[]): Row[] {
  return levels.flatMap((connections) =>
    rowsFor(results, `idle ${connections}`, (r) => r.idle?.levels.find((level) => level.connections === connections), [
      { metric: "connect+subscribe rate", unit: "/s", value: (level) => level.connectsPerSecond },
      { metric: "server CPU per connect", unit: "ms", value: (level) => level.serverCpuMsPerConnect },
      { metric: "RSS per socket", unit: "KiB", value: (level) => level.rssPerSocket / KIB },
      { metric: "heap per socket", unit: "KiB", value: (level) => level.heapPerSocket / KIB },
    ]),
  );
}

function fanoutRows(results: Results, watchers: readonly number[], paths: readonly string[]): Row[] {
  return watchers.flatMap((count) =>
    paths.flatMap((via) =>
      rowsFor(
        results,
        `fanout W=${count} ${via}`,
        (r) => r.fanout?.find((result) => result.watchers === count && result.via === via),
        [
          { metric: "latency p50", unit: "ms", value: (result) => result.latency.p50 },
          { metric: "latency p95", unit: "ms", value: (result) => result.latency.p95 },
          { metric: "latency p99", unit: "ms", value: (result) => result.latency.p99 },
          { metric: "latency max", unit: "ms", value: (result) => result.latency.max },
          { metric: "notifications delivered", unit: "/s", value: (result) => result.notificationsPerSecond },
          { metric: "click batches", unit: "/s", value: (result) => result.batchesPerSecond },
          { metric: "server CPU", unit: "%", value: (result) => result.serverCpuPercent },
          { metric: "load generator CPU", unit: "%", value: (result) => result.clientCpuPercent },
        ],
        (result) => result.delivery,
      ),
    ),
  );
}

function throughputRows(results: Results, paths: readonly string[]): Row[] {
  return paths.flatMap((via) => {
    const pick: Pick<ThroughputResult> = (r) => r.throughput?.find((result) => result.via === via);
    const all = (result: ThroughputResult) => result.steps.map((step) => step.delivery);
    const merged = (result: ThroughputResult): DeliveryCounts => {
      const counts = all(result);
      const sum = (key: keyof DeliveryCounts) => counts.reduce((total, count) => total + count[key], 0);
      return {
        expected: sum("expected"),
        delivered: sum("delivered"),
        lost: sum("lost"),
        duplicates: sum("duplicates"),
        unexpected: sum("unexpected"),
      };
    };
    return rowsFor(
      results,
      `throughput ${via}`,
      pick,
      [
        { metric: "batches/s at p99 ≤ limit", unit: "/s", value: (result) => result.best?.batchesPerSecond ?? 0 },
        { metric: "p99 at that rate", unit: "ms", value: (result) => result.best?.latency.p99 ?? Number.NaN },
        { metric: "concurrency at that rate", unit: "", value: (result) => result.best?.concurrency ?? 0 },
        {
          metric: "server CPU at that rate",
          unit: "%",
          value: (result) => result.best?.serverCpuPercent ?? Number.NaN,
        },
        {
          // What one batch costs the node: the figure the room's pace divides its budget by.
          metric: "server CPU per batch at that rate",
          unit: "ms",
          value: (result) =>
            result.best ? (10 * result.best.serverCpuPercent) / result.best.batchesPerSecond : Number.NaN,
        },
        {
          metric: "peak batches/s (any step)",
          unit: "/s",
          value: (result) => Math.max(...result.steps.map((step) => step.batchesPerSecond)),
        },
      ],
      merged,
    );
  });
}

const catchupFigures: Array<Figure<CatchupResult>> = [
  { metric: "time to full replay", unit: "s", value: (result) => result.seconds },
  { metric: "bytes received", unit: "MiB", value: (result) => result.bytes / KIB / KIB },
  { metric: "replayed notifications", unit: "/s", value: (result) => result.notificationsPerSecond },
  { metric: "server CPU meanwhile", unit: "s", value: (result) => result.serverCpuSeconds },
  { metric: "load generator CPU meanwhile", unit: "s", value: (result) => result.loadCpuSeconds },
];

/** Twice: against the baseline's one emit per notification, then its one array per socket. */
function catchupRows(results: Results): Row[] {
  return [
    ...rowsFor(
      results,
      "catch-up (baseline: one emit each)",
      (r) => r.catchup,
      catchupFigures,
      (result) => result.delivery,
    ),
    ...rowsFor(
      results,
      "catch-up (baseline: one array)",
      (r) => r.catchup,
      catchupFigures,
      (result) => result.delivery,
      (r) => r.catchupArray,
    ),
  ];
}

export function tableRows(
  results: Results,
  sizes: {
    idle: readonly number[];
    watchers: readonly number[];
    paths: readonly string[];
    rooms: readonly number[];
    sweep: readonly number[];
  },
): Row[] {
  return [
    ...idleRows(results, sizes.idle),
    ...fanoutRows(results, sizes.watchers, sizes.paths),
    ...throughputRows(results, sizes.paths),
    ...catchupRows(results),
    ...roomRows(results, sizes.rooms),
    ...sweepRows(results, sizes.sweep),
  ];
}

/** Issue #12's connection targets per idle level: heap per socket ≤ 1.3× and CPU per connect ≤ 2× the baseline. */
function idleChecks(results: Results): string[] {
  return (results.clickbus?.idle?.levels ?? []).flatMap((clickbus) => {
    const baseline = results.baseline?.idle?.levels.find((level) => level.connections === clickbus.connections);
    if (!baseline) return [];
    const heap = clickbus.heapPerSocket / baseline.heapPerSocket;
    const cpu = clickbus.serverCpuMsPerConnect / baseline.serverCpuMsPerConnect;
    return [
      `idle ${clickbus.connections}: heap per socket ${heap.toFixed(2)}× the baseline — ${heap <= 1.3 ? "met" : "NOT met"} (target ≤ 1.3×)`,
      `idle ${clickbus.connections}: server CPU per connect ${cpu.toFixed(2)}× the baseline — ${cpu <= 2 ? "met" : "NOT met"} (target ≤ 2×)`,
    ];
  });
}

/** The issues' targets, judged on this run: the idle ones above, fan-out p99 within 2× of the
 * baseline, catch-up under 2 s, and at least 1 000 committed click batches/s with p99 within the limit. */
export function targetChecks(results: Results): string[] {
  const lines: string[] = idleChecks(results);
  for (const clickbus of results.clickbus?.fanout ?? []) {
    const baseline = results.baseline?.fanout?.find(
      (result) => result.watchers === clickbus.watchers && result.via === clickbus.via,
    );
    if (!baseline) continue;
    const ratio = clickbus.latency.p99 / baseline.latency.p99;
    lines.push(
      `fan-out W=${clickbus.watchers} ${clickbus.via}: p99 ${ratio.toFixed(2)}× the baseline — ${ratio <= 2 ? "met" : "NOT met"} (target ≤ 2×)`,
    );
  }
  const catchup = results.clickbus?.catchup;
  if (catchup) {
    const whole = catchup.delivery.lost + catchup.delivery.duplicates + catchup.delivery.unexpected === 0;
    lines.push(
      `catch-up ${catchup.sockets}×${catchup.missed}: fully replayed in ${catchup.seconds.toFixed(2)} s — ${catchup.seconds < 2 && whole ? "met" : "NOT met"} (target < 2 s, nothing lost)`,
    );
  }
  for (const result of results.clickbus?.throughput ?? []) {
    const rate = result.best?.batchesPerSecond ?? 0;
    lines.push(
      `throughput ${result.via}: ${Math.round(rate)} batches/s within the p99 limit — ${rate >= 1000 ? "met" : "NOT met"} (target ≥ 1 000/s)`,
    );
  }
  return [...lines, ...roomChecks(results), ...sweepChecks(results)];
}
