// Scenario 2, write throughput: C concurrent clients send click batches back to back (each batch
// from whichever player the rate limit allows next), C doubling each step until the step's p99
// commit latency (request → answer) exceeds the limit. A few watchers check nothing is dropped.
import { Ledger, type DeliveryCounts } from "../delivery";
import { Latencies, type LatencySummary } from "../histogram";
import { PlayerPool } from "../pacing";
import type { WatcherGroup } from "../sockets";
import type { ClickVia, Target } from "../target";
import { nextBatchId } from "../batch-ids";
import { clientCpuPercent, cpuClock, now } from "../clock";

export type ThroughputOptions = {
  start: number;
  max: number;
  seconds: number;
  p99LimitMs: number;
  paths: readonly ClickVia[];
};
export type ThroughputStep = {
  concurrency: number;
  batchesPerSecond: number;
  refused: number;
  latency: LatencySummary;
  serverCpuPercent: number;
  /** CPU of the load generator itself: near 100% it, not the server, limits the figures. */
  clientCpuPercent: number;
  delivery: DeliveryCounts;
};
export type ThroughputResult = { via: ClickVia; steps: ThroughputStep[]; best: ThroughputStep | null };

const DRAIN_MS = 15_000;

async function worker(
  target: Target,
  pool: PlayerPool,
  ledger: Ledger,
  via: ClickVia,
  until: number,
  latencies: Latencies,
): Promise<number> {
  let refused = 0;
  while (now() < until) {
    const player = await pool.next();
    const batchId = nextBatchId();
    void ledger.sent(batchId);
    const sentAt = now();
    const outcome = await target.click(player, via, { count: 1, batchId });
    if (outcome.kind === "rejected") {
      ledger.refused(batchId);
      refused += 1;
    } else {
      latencies.record(now() - sentAt);
      ledger.accepted(batchId, outcome.total);
    }
  }
  return refused;
}

async function step(
  target: Target,
  group: WatcherGroup,
  pool: PlayerPool,
  via: ClickVia,
  concurrency: number,
  seconds: number,
): Promise<ThroughputStep> {
  const ledger = new Ledger(target.channel, group.size);
  group.handler = (watcher, notification) => ledger.receive(watcher, notification);
  const latencies = new Latencies();
  const cpuBefore = target.cpuSeconds();
  const clientClock = cpuClock();
  const started = now();
  const until = started + seconds * 1000;
  const refusals = await Promise.all(
    Array.from({ length: concurrency }, () => worker(target, pool, ledger, via, until, latencies)),
  );
  const elapsed = (now() - started) / 1000;
  const serverCpuPercent = ((target.cpuSeconds() - cpuBefore) / elapsed) * 100;
  const clientCpu = clientCpuPercent(clientClock);
  await ledger.drain(DRAIN_MS);
  group.handler = () => {};
  return {
    concurrency,
    batchesPerSecond: latencies.count / elapsed,
    refused: refusals.reduce((sum, count) => sum + count, 0),
    latency: latencies.summary(),
    serverCpuPercent,
    clientCpuPercent: clientCpu,
    delivery: ledger.counts(),
  };
}

async function ramp(
  target: Target,
  group: WatcherGroup,
  options: ThroughputOptions,
  via: ClickVia,
): Promise<ThroughputResult> {
  const pool = new PlayerPool(target);
  const steps: ThroughputStep[] = [];
  for (let concurrency = options.start; concurrency <= options.max; concurrency *= 2) {
    const result = await step(target, group, pool, via, concurrency, options.seconds);
    steps.push(result);
    if (result.latency.p99 > options.p99LimitMs) break;
  }
  const within = steps.filter((result) => result.latency.p99 <= options.p99LimitMs);
  const best = within.reduce<ThroughputStep | null>(
    (top, result) => (top && top.batchesPerSecond >= result.batchesPerSecond ? top : result),
    null,
  );
  return { via, steps, best };
}

export async function runThroughput(
  target: Target,
  group: WatcherGroup,
  options: ThroughputOptions,
): Promise<ThroughputResult[]> {
  const results: ThroughputResult[] = [];
  for (const via of options.paths) results.push(await ramp(target, group, options, via));
  return results;
}
