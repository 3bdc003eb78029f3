// Work a node repeats on a timer (pruning, sweeps): a failed run is logged and simply tried
// again at the next tick (the database busy with another node, say), and the timer never keeps
// the process alive.
import { log } from "@/lib/log";

export type PeriodicWork = {
  everyMs: number;
  /** Also runs once at start (work left over while no node ran). */
  runNow?: boolean;
  /** The warning logged when a run throws or its Promise rejects. */
  failure: string;
  /** Synchronous, or async (the data layer is, issue #14): a tick never overlaps the previous run. */
  run: () => void | Promise<unknown>;
};

/** Starts `work`; returns a function that stops it. */
export function startPeriodic(work: PeriodicWork): () => void {
  const fail = (error: unknown) => log.warn({ err: error }, work.failure);
  let running = false;
  const tick = () => {
    // A slow async run (a busy database) is not stacked on: the next tick after it ends goes on.
    if (running) return;
    try {
      const result = work.run();
      if (!(result instanceof Promise)) return;
      running = true;
      result.then(
        () => {
          running = false;
        },
        (error: unknown) => {
          running = false;
          fail(error);
        },
      );
    } catch (error) {
      fail(error);
    }
  };
  if (work.runNow) tick();
  const timer = setInterval(tick, work.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
