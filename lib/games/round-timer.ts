// Ends rounds on time on whichever node is alive: every node looks each second for rounds past
// their end (so a round still ends when the node that started it died, or after a restart), and
// the node that starts a round also sets a timer for its exact end.
import { log } from "@/lib/log";
import { startPeriodic } from "@/lib/runtime/periodic";
import { endDueRounds } from "./rounds";

const SWEEP_EVERY_MS = 1000;
/** Timers may fire a hair early against Date.now(); a round is due only once its end has passed. */
const TIMER_SLACK_MS = 5;

const FAILURE = "ending due rounds failed";

function sweep(): void {
  // Fire and forget: a timer has nobody to answer. A failure (the database busy with another
  // node, say) is only logged: the next sweep ends what is left.
  endDueRounds().catch((error: unknown) => log.warn({ err: error }, FAILURE));
}

/** A timer for one round's end, on this node (startRound's `onStarted`). */
export function scheduleRoundEnd(endsAt: Date): void {
  setTimeout(sweep, Math.max(0, endsAt.getTime() - Date.now()) + TIMER_SLACK_MS).unref();
}

/** Sweeps now (rounds that ended while no node ran) and every second; returns a stop function. */
export function startRoundTimer(): () => void {
  return startPeriodic({ everyMs: SWEEP_EVERY_MS, runNow: true, failure: FAILURE, run: endDueRounds });
}
