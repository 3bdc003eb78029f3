// Work a node repeats on a timer (pruning, sweeps): a failed run is logged and simply tried
// again at the next tick (the database busy with another node, say), and the timer never keeps
// the process alive.
import { log } from "@/lib/log";

export type PeriodicWork = {
  everyMs: number;
  /** Also runs once at start (work left over while no node ran). */
  runNow?: boolean;
  /** The warning logged when a run throws. */
  failure: string;
  run: () => void;
};

/** Starts `work`; returns a function that stops it. */
export function startPeriodic(work: PeriodicWork): () => void {
  const tick = () => {
    try {
      work.run();
    } catch (error) {
      log.warn({ err: error }, work.failure);
    }
  };
  if (work.runNow) tick();
  const timer = setInterval(tick, work.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
