// Scenario 1, fan-out latency: P players click into one game watched by W subscribed sockets,
// each player with one batch in flight and at most `rate` batches/s (by default the game page's
// pace, the same on both targets), the next batch only once every watcher has the previous one;
// click→notification latency at every watcher, and notifications delivered per second.
import { Ledger, type DeliveryCounts } from "../delivery";
import type { LatencySummary } from "../histogram";
import { Pacer } from "../pacing";
import type { WatcherGroup } from "../sockets";
import type { ClickVia, Player, Target } from "../target";
import { nextBatchId } from "../batch-ids";
import { clientCpuPercent, cpuClock, now, sleep } from "../clock";

export type FanoutOptions = {
  watchers: readonly number[];
  players: number;
  rate: number;
  seconds: number;
  paths: readonly ClickVia[];
};
export type FanoutResult = {
  watchers: number;
  via: ClickVia;
  batches: number;
  batchesPerSecond: number;
  refused: number;
  latency: LatencySummary;
  notificationsPerSecond: number;
  serverCpuPercent: number;
  /** CPU of the load generator itself: near 100% it, not the server, limits the figures. */
  clientCpuPercent: number;
  delivery: DeliveryCounts;
};

const DELIVERY_TIMEOUT_MS = 15_000;
/** Lets presence updates from the last joins go out before measuring. */
const SETTLE_MS = 500;

async function playerLoop(
  target: Target,
  ledger: Ledger,
  player: Player,
  via: ClickVia,
  rate: number,
  until: number,
): Promise<{ batches: number; refused: number }> {
  const pacer = new Pacer({ burst: 1, perSecond: rate });
  let batches = 0;
  let refused = 0;
  while (now() < until) {
    await pacer.take();
    const batchId = nextBatchId();
    const everywhere = ledger.sent(batchId);
    const outcome = await target.click(player, via, { count: 1, batchId });
    if (outcome.kind === "rejected") {
      ledger.refused(batchId);
      refused += 1;
      continue;
    }
    batches += 1;
    ledger.accepted(batchId, outcome.total);
    await Promise.race([everywhere, sleep(DELIVERY_TIMEOUT_MS)]);
  }
  return { batches, refused };
}

async function phase(
  target: Target,
  group: WatcherGroup,
  options: FanoutOptions,
  via: ClickVia,
): Promise<FanoutResult> {
  const ledger = new Ledger(target.channel, group.size);
  group.handler = (watcher, notification) => ledger.receive(watcher, notification);
  const started = now();
  const cpuBefore = target.cpuSeconds();
  const clientClock = cpuClock();
  const until = started + options.seconds * 1000;
  const loops = target.players
    .slice(0, options.players)
    .map((player) => playerLoop(target, ledger, player, via, options.rate, until));
  const outcomes = await Promise.all(loops);
  await ledger.drain(DELIVERY_TIMEOUT_MS);
  const seconds = (now() - started) / 1000;
  const delivery = ledger.counts();
  group.handler = () => {};
  const batches = outcomes.reduce((sum, loop) => sum + loop.batches, 0);
  return {
    watchers: group.size,
    via,
    batches,
    batchesPerSecond: batches / seconds,
    refused: outcomes.reduce((sum, loop) => sum + loop.refused, 0),
    latency: ledger.latencies.summary(),
    notificationsPerSecond: delivery.delivered / seconds,
    serverCpuPercent: ((target.cpuSeconds() - cpuBefore) / seconds) * 100,
    clientCpuPercent: clientCpuPercent(clientClock),
    delivery,
  };
}

export async function runFanout(target: Target, group: WatcherGroup, options: FanoutOptions): Promise<FanoutResult[]> {
  const results: FanoutResult[] = [];
  for (const watchers of options.watchers) {
    await group.grow(watchers);
    await sleep(SETTLE_MS);
    for (const via of options.paths) results.push(await phase(target, group, options, via));
  }
  return results;
}
