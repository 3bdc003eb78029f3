// The `room` scenario's rows (Clickbus beside the baseline, one per figure) with its exactly-once
// check, and issue #20's room targets judged on the run (informative: never the exit code).
import type { Results, Row, TargetResults } from "./rows";
import { actionFirst, roomExact, type RoomResult } from "./scenarios/room";
import type { ClickVia } from "./target";

type Figure = { metric: string; unit: string; value: (result: RoomResult) => number };

const FIGURES: Figure[] = [
  { metric: "batch answer p50", unit: "ms", value: (r) => r.answers.p50 },
  { metric: "batch answer p99", unit: "ms", value: (r) => r.answers.p99 },
  { metric: "batch answer max", unit: "ms", value: (r) => r.answers.max },
  { metric: "TCP connect p99 (new connections)", unit: "ms", value: (r) => r.connects.p99 },
  { metric: "answers over 1 s, as guests timed them", unit: "", value: (r) => r.slowAnswers.client },
  { metric: "actions over 1 s in the node", unit: "", value: (r) => r.slowAnswers.request ?? Number.NaN },
  { metric: "answers over 1 s in the click path", unit: "", value: (r) => r.slowAnswers.server ?? Number.NaN },
  { metric: "actions over 1 s to know their caller", unit: "", value: (r) => r.slowAnswers.session ?? Number.NaN },
  { metric: "projector lag p50", unit: "ms", value: (r) => r.lag.p50 },
  { metric: "projector lag p99", unit: "ms", value: (r) => r.lag.p99 },
  { metric: "notifications per phone", unit: "/s", value: (r) => r.notificationsPerPhonePerSecond },
  { metric: "tallies per phone", unit: "/s", value: (r) => r.talliesPerPhonePerSecond },
  { metric: "click batches", unit: "/s", value: (r) => r.batches / r.seconds },
  { metric: "clicks", unit: "/s", value: (r) => r.clicks / r.seconds },
  { metric: "server CPU", unit: "%", value: (r) => r.serverCpuPercent },
  { metric: "load generator CPU", unit: "%", value: (r) => r.clientCpuPercent },
  { metric: "load generator event-loop delay max", unit: "ms", value: (r) => r.clientLoopDelay.maxMs },
  { metric: "server event-loop delay max", unit: "ms", value: (r) => r.serverLoop.maxMs },
  { metric: "server longest GC pause", unit: "ms", value: (r) => r.serverLoop.gcMaxMs },
  {
    metric: "answers that waited over 1 s to be accepted",
    unit: "",
    value: (r) => r.serverLoop.requestWaits.acceptOver1s,
  },
  {
    metric: "answers that waited over 1 s from accept to request",
    unit: "",
    value: (r) => r.serverLoop.requestWaits.readOver1s,
  },
  { metric: "/api/health p99", unit: "ms", value: (r) => r.health.p99 },
  // Last: the baseline has no joins (–).
  { metric: "guests joined in", unit: "s", value: (r) => r.joinSeconds },
];

const pick = (results: TargetResults | undefined, guests: number, via: ClickVia) =>
  results?.room?.find((result) => result.guests === guests && result.via === via);

/** The paths measured, in the order the scenario ran them. */
const pathsOf = (results: Results): ClickVia[] =>
  actionFirst(
    [results.clickbus, results.baseline].flatMap((target) => target?.room?.map((result) => result.via) ?? []),
  );

/** "ok", or what went wrong on which server: clicks not counted once, screens not on the total. */
function checkOf(results: Array<[string, RoomResult | undefined]>): string {
  const problems = results.flatMap(([name, result]) => {
    if (!result || roomExact(result.exact)) return [];
    const { start, total, acknowledged, unanswered, phones, phonesOnTotal, projectorOnTotal } = result.exact;
    return [
      `${name}: +${total - start} vs ${acknowledged} acknowledged, ${unanswered} unanswered, ${phonesOnTotal}/${phones} phones${projectorOnTotal ? "" : ", projector"} on total`,
    ];
  });
  return problems.length === 0 ? "ok" : `MISMATCH ${problems.join("; ")}`;
}

export function roomRows(results: Results, sizes: readonly number[]): Row[] {
  return sizes.flatMap((guests) =>
    pathsOf(results).flatMap((via) => {
      const clickbus = pick(results.clickbus, guests, via);
      const baseline = pick(results.baseline, guests, via);
      if (!clickbus && !baseline) return [];
      return FIGURES.map((figure, index) => ({
        scenario: index === 0 ? `room N=${guests} ${via}` : "",
        metric: figure.metric,
        unit: figure.unit,
        clickbus: clickbus && figure.value(clickbus),
        baseline: baseline && figure.value(baseline),
        check:
          index === 0
            ? checkOf([
                ["clickbus", clickbus],
                ["baseline", baseline],
              ])
            : "",
      }));
    }),
  );
}

/** "label 1.25× the baseline — met (target ≤ 2×)"; `unit` "×" is a ratio to the baseline. */
function judge(label: string, value: number, limit: number, unit: string): string {
  const shown = unit === "×" ? `${value.toFixed(2)}× the baseline` : `${Math.round(value * 10) / 10} ${unit}`;
  return `${label} ${shown} — ${value <= limit ? "met" : "NOT met"} (target ≤ ${unit === "×" ? `${limit}×` : `${limit} ${unit}`})`;
}

/**
 * Issue #20, through the action: at 1 000 guests lag p99 ≤ 500 ms, answers p99 ≤ 1 s, health p99
 * ≤ 250 ms, ≤ 20 notifications/s per phone, lag and CPU within 2× the baseline; at 2 000 lag p99
 * ≤ 1 s. The API path's rooms say how much of the action's cost is Next's: not judged.
 */
export function roomChecks(results: Results): string[] {
  return (results.clickbus?.room ?? []).flatMap((clickbus) => {
    const n = clickbus.guests;
    const lines: string[] = [];
    if (clickbus.via !== "action") return lines;
    const baseline = pick(results.baseline, n, "action");
    if (baseline) {
      lines.push(judge(`room N=${n}: projector lag p99`, clickbus.lag.p99 / baseline.lag.p99, 2, "×"));
      lines.push(judge(`room N=${n}: server CPU`, clickbus.serverCpuPercent / baseline.serverCpuPercent, 2, "×"));
    }
    if (n === 1000 || n === 2000)
      lines.push(judge(`room N=${n}: projector lag p99`, clickbus.lag.p99, n === 1000 ? 500 : 1000, "ms"));
    if (n === 1000) {
      lines.push(judge(`room N=${n}: batch answer p99`, clickbus.answers.p99, 1000, "ms"));
      lines.push(judge(`room N=${n}: /api/health p99`, clickbus.health.p99, 250, "ms"));
      lines.push(judge(`room N=${n}: notifications per phone`, clickbus.notificationsPerPhonePerSecond, 20, "/s"));
    }
    return lines;
  });
}
