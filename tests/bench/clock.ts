// Time and CPU for the load generator: a sub-millisecond clock, sleeping, waiting for a server
// to go quiet, and this process's own CPU use.
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export const now = (): number => performance.now();

/** Waits until a process's CPU use over 200 ms drops under 10% of a core (at most `timeoutMs`). */
export async function waitQuiet(cpuSeconds: () => number, timeoutMs = 10_000): Promise<void> {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    const before = cpuSeconds();
    await sleep(200);
    if (cpuSeconds() - before < 0.02) return;
  }
}

/** CPU use of this process (the load generator) in % of one core since `since` (from `cpuClock`). */
export function clientCpuPercent(since: { cpu: NodeJS.CpuUsage; at: number }): number {
  const used = process.cpuUsage(since.cpu);
  return ((used.user + used.system) / 1000 / (now() - since.at)) * 100;
}

export function cpuClock(): { cpu: NodeJS.CpuUsage; at: number } {
  return { cpu: process.cpuUsage(), at: now() };
}
