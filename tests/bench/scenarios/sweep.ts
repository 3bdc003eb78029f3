// Scenario 6, the access sweep (issue #22 §5): a node in cluster mode re-checks every 3 s that each
// of its sockets may still be in its channels. A room of `users` guests opens sockets spread over
// them (10,000 sockets of 2,000 guests: 5 tabs each) and, at each level, the node is watched for a
// window holding at least two sweeps: the sweep's own event-loop time and longest slice (from the
// node's metrics), and from outside how late its event loop ran timers. The baseline has no sweep:
// its figures are the same window's event-loop delay of a bare Socket.IO server with as many sockets.
import { z } from "zod";
import { fetchMetrics, metricValue } from "../metrics-text";
import type { LoopDelay } from "../process-stats";
import { WatcherGroup } from "../sockets";
import type { Target } from "../target";
import { sleep, waitQuiet } from "../clock";
import { MAX_PRESENCE_DELAY_MS } from "@/lib/bus/presence";

export type SweepOptions = { levels: readonly number[]; users: number; concurrency: number };
export type SweepLevel = {
  sockets: number;
  /** Sweeps that ran within the window (0 on the baseline). */
  sweeps: number;
  /** (user, channel) pairs the last sweep checked. */
  pairs: number;
  /** Mean event-loop milliseconds of one sweep, all slices together. */
  busyMsPerSweep: number;
  /** Mean over the window's sweeps of each one's longest slice. */
  longestSliceMs: number;
  /** The window's sweeps whose longest slice went past 20 ms (the bound, SWEEP_BOUND_MS). */
  slicesOver20Ms: number;
  /** Server CPU over the window, in % of one core. */
  serverCpuPercent: number;
  loop: LoopDelay;
};
export type SweepResult = { users: number; levels: SweepLevel[] };

/** The node's sweep period is 3 s (lib/bus/cluster.ts): a window of 7 s holds two whole sweeps. */
const WINDOW_MS = 7000;

/** The sweep's figures in the Prometheus text of the node's metrics listener. */
const sweepMetrics = z.object({
  pairs: z.number(),
  busySum: z.number(),
  busyCount: z.number(),
  sliceSum: z.number(),
  sliceCount: z.number(),
  sliceUpTo20Ms: z.number(),
});
type SweepMetrics = z.infer<typeof sweepMetrics>;

export async function readSweepMetrics(metricsUrl: string): Promise<SweepMetrics> {
  const text = await fetchMetrics(metricsUrl);
  const busy = "clickbus_access_sweep_busy_seconds";
  const slice = "clickbus_access_sweep_longest_slice_seconds";
  return sweepMetrics.parse({
    pairs: metricValue(text, "clickbus_access_sweep_pairs"),
    busySum: metricValue(text, `${busy}_sum`),
    busyCount: metricValue(text, `${busy}_count`),
    sliceSum: metricValue(text, `${slice}_sum`),
    sliceCount: metricValue(text, `${slice}_count`),
    sliceUpTo20Ms: metricValue(text, `${slice}_bucket{le="0.02"}`),
  });
}

async function watchWindow(target: Target, metricsUrl: string | undefined): Promise<Omit<SweepLevel, "sockets">> {
  const before = metricsUrl ? await readSweepMetrics(metricsUrl) : undefined;
  const cpuBefore = target.cpuSeconds();
  await target.probe.startLoopDelay();
  await sleep(WINDOW_MS);
  const loop = await target.probe.stopLoopDelay();
  const serverCpuPercent = ((target.cpuSeconds() - cpuBefore) / (WINDOW_MS / 1000)) * 100;
  const after = metricsUrl ? await readSweepMetrics(metricsUrl) : undefined;
  if (!before || !after)
    return { sweeps: 0, pairs: 0, busyMsPerSweep: 0, longestSliceMs: 0, slicesOver20Ms: 0, serverCpuPercent, loop };
  const sweeps = after.busyCount - before.busyCount;
  return {
    sweeps,
    pairs: after.pairs,
    busyMsPerSweep: ((after.busySum - before.busySum) * 1000) / sweeps,
    longestSliceMs: ((after.sliceSum - before.sliceSum) * 1000) / sweeps,
    slicesOver20Ms: sweeps - (after.sliceUpTo20Ms - before.sliceUpTo20Ms),
    serverCpuPercent,
    loop,
  };
}

/** `metricsUrl`: the node's metrics listener (Clickbus in cluster mode); unset for the baseline. */
export async function runSweep(target: Target, options: SweepOptions, metricsUrl?: string): Promise<SweepResult> {
  const room = await target.openRoom(options.users);
  const group = new WatcherGroup(
    { url: room.url, channel: room.channel, players: room.guests, socketOptions: (guest) => room.socketOptions(guest) },
    options.concurrency,
  );
  const levels: SweepLevel[] = [];
  try {
    for (const sockets of options.levels) {
      await group.grow(sockets);
      // The joins' presence message goes out up to a second later, to every socket of the room at
      // once (at 10,000 sockets it holds the loop about 250 ms): the window must not count it.
      await sleep(MAX_PRESENCE_DELAY_MS + 500);
      await waitQuiet(() => target.cpuSeconds());
      levels.push({ sockets, ...(await watchWindow(target, metricsUrl)) });
    }
  } finally {
    group.close();
    room.close();
    await waitQuiet(() => target.cpuSeconds());
  }
  return { users: options.users, levels };
}
