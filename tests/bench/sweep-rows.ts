// The `sweep` scenario's rows (the clustered Clickbus node beside a bare Socket.IO server with as
// many sockets, which has no sweep), and issue #22 §5's bound judged on the run (informative).
import type { Results, Row, TargetResults } from "./rows";
import { SWEEP_BOUND_MS } from "@/lib/bus/access-sweep";
import type { SweepLevel } from "./scenarios/sweep";

type Figure = { metric: string; unit: string; value: (level: SweepLevel) => number };

const FIGURES: Figure[] = [
  { metric: "event-loop delay max", unit: "ms", value: (l) => l.loop.maxMs },
  { metric: "event-loop delay p99", unit: "ms", value: (l) => l.loop.p99Ms },
  { metric: "longest GC pause", unit: "ms", value: (l) => l.loop.gcMaxMs },
  { metric: "server CPU", unit: "%", value: (l) => l.serverCpuPercent },
  // The baseline has no sweep (–).
  { metric: "sweeps in the window", unit: "", value: (l) => l.sweeps },
  { metric: "pairs checked per sweep", unit: "", value: (l) => l.pairs },
  { metric: "event-loop time per sweep", unit: "ms", value: (l) => l.busyMsPerSweep },
  { metric: "longest slice (mean)", unit: "ms", value: (l) => l.longestSliceMs },
  { metric: `sweeps with a slice > ${SWEEP_BOUND_MS} ms`, unit: "", value: (l) => l.slicesOver20Ms },
];
const SWEEP_ONLY = 4;

const pick = (results: TargetResults | undefined, sockets: number) =>
  results?.sweep?.levels.find((level) => level.sockets === sockets);

export function sweepRows(results: Results, levels: readonly number[]): Row[] {
  return levels.flatMap((sockets) => {
    const clickbus = pick(results.clickbus, sockets);
    const baseline = pick(results.baseline, sockets);
    if (!clickbus && !baseline) return [];
    const users = results.clickbus?.sweep?.users ?? results.baseline?.sweep?.users;
    return FIGURES.map((figure, index) => ({
      scenario: index === 0 ? `sweep ${sockets} of ${users} users` : "",
      metric: figure.metric,
      unit: figure.unit,
      clickbus: clickbus && figure.value(clickbus),
      baseline: index < SWEEP_ONLY && baseline ? figure.value(baseline) : undefined,
      check: "",
    }));
  });
}

/** Issue #22 §5: no sweep holds the event loop for more than 20 ms at once. */
export function sweepChecks(results: Results): string[] {
  return (results.clickbus?.sweep?.levels ?? []).map((level) => {
    const met = level.sweeps > 0 && level.slicesOver20Ms === 0;
    return `sweep ${level.sockets}: ${level.sweeps} sweeps of ${level.pairs} pairs, ${level.busyMsPerSweep.toFixed(1)} ms of event loop each, ${level.slicesOver20Ms} with a slice over ${SWEEP_BOUND_MS} ms — ${met ? "met" : "NOT met"} (target: none)`;
  });
}
