// What the bench reads about a server process: RSS from /proc, CPU time from /proc/<pid>/stat,
// and, through server-probe.mjs (preloaded with NODE_OPTIONS, driven by SIGUSR2), the V8 heap
// after a forced GC and CPU profiles of exactly the measured phases.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";

export type MemorySample = { rssBytes: number; heapUsedBytes: number };

const CLOCK_TICKS_PER_SECOND = 100;
const RSS_SETTLE_MS = 1000;
const memoryAnswer = z.object({ rss: z.number(), heapUsed: z.number() });
const okAnswer = z.object({ ok: z.literal(true) });
const loopAnswer = z.object({
  maxMs: z.number(),
  p99Ms: z.number(),
  meanMs: z.number(),
  gcMaxMs: z.number(),
  gcMs: z.number(),
  // Requests sent with the x-bench-sent header (http.ts): how long they waited to be accepted
  // (new connections) and from there, or from sending, to the node's request event.
  requestWaits: z.object({
    timed: z.number(),
    acceptMaxMs: z.number(),
    acceptOver1s: z.number(),
    readMaxMs: z.number(),
    readOver1s: z.number(),
  }),
});
/**
 * How late the server's event loop ran its timers over a window (its longest block shows as max),
 * its garbage collector's pauses in that window (the longest, and all together), and where the
 * bench's timed requests waited before the node saw them.
 */
export type LoopDelay = z.infer<typeof loopAnswer>;

/** The environment that makes a Node child load the probe, answering through `probeFile`. */
export function probeEnv(probeFile: string): Record<string, string> {
  const probe = pathToFileURL(join(import.meta.dirname, "server-probe.mjs")).href;
  return { NODE_OPTIONS: `--expose-gc --import ${probe}`, BENCH_PROBE_FILE: probeFile };
}

/** Resident set size from /proc/<pid>/status (VmRSS, in kB there). */
export function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** User + system CPU seconds the process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

export class ServerProbe {
  constructor(
    private readonly pid: number,
    private readonly file: string,
  ) {}

  private async ask(command: object): Promise<unknown> {
    rmSync(this.file, { force: true });
    writeFileSync(`${this.file}.command`, JSON.stringify(command));
    process.kill(this.pid, "SIGUSR2");
    const deadline = Date.now() + 30_000;
    while (!existsSync(this.file)) {
      if (Date.now() > deadline) throw new Error(`process ${this.pid} did not answer the probe`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return JSON.parse(readFileSync(this.file, "utf8"));
  }

  /**
   * Heap after a forced GC, and RSS. V8 gives freed pages back to the system a little after a GC,
   * so the probe collects, waits, and collects again before RSS is read.
   */
  async memory(): Promise<MemorySample> {
    await this.ask({ op: "memory" });
    await new Promise((resolve) => setTimeout(resolve, RSS_SETTLE_MS));
    const answer = memoryAnswer.parse(await this.ask({ op: "memory" }));
    return { rssBytes: rssOf(this.pid), heapUsedBytes: answer.heapUsed };
  }

  async startProfile(): Promise<void> {
    okAnswer.parse(await this.ask({ op: "profile-start" }));
  }

  async stopProfile(file: string): Promise<void> {
    okAnswer.parse(await this.ask({ op: "profile-stop", file }));
  }

  async startLoopDelay(): Promise<void> {
    okAnswer.parse(await this.ask({ op: "loop-start" }));
  }

  async stopLoopDelay(): Promise<LoopDelay> {
    return loopAnswer.parse(await this.ask({ op: "loop-stop" }));
  }
}
