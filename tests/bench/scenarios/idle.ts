// Scenario 3, idle connections: memory of the server process (RSS, and V8 heap after a forced GC)
// per idle, authenticated, subscribed socket at each level, and the connect+subscribe rate.
import type { MemorySample } from "../process-stats";
import { WatcherGroup } from "../sockets";
import type { Target } from "../target";
import { waitQuiet } from "../clock";

export type IdleOptions = { levels: readonly number[]; concurrency: number };
export type IdleLevel = {
  connections: number;
  connectsPerSecond: number;
  /** Server CPU time per connected socket while connecting (and until the server went quiet). */
  serverCpuMsPerConnect: number;
  memory: MemorySample;
  rssPerSocket: number;
  heapPerSocket: number;
};
export type IdleResult = { empty: MemorySample; levels: IdleLevel[] };

export async function runIdle(target: Target, options: IdleOptions): Promise<IdleResult> {
  const group = new WatcherGroup(target, options.concurrency);
  await waitQuiet(() => target.cpuSeconds());
  const empty = await target.probe.memory();
  const levels: IdleLevel[] = [];
  try {
    for (const connections of options.levels) {
      const added = connections - group.size;
      const cpuBefore = target.cpuSeconds();
      const seconds = await group.grow(connections);
      await waitQuiet(() => target.cpuSeconds());
      const cpuSeconds = target.cpuSeconds() - cpuBefore;
      const memory = await target.probe.memory();
      levels.push({
        connections,
        connectsPerSecond: added / seconds,
        serverCpuMsPerConnect: (cpuSeconds * 1000) / added,
        memory,
        rssPerSocket: (memory.rssBytes - empty.rssBytes) / connections,
        heapPerSocket: (memory.heapUsedBytes - empty.heapUsedBytes) / connections,
      });
    }
  } finally {
    group.close();
    await waitQuiet(() => target.cpuSeconds());
  }
  return { empty, levels };
}
