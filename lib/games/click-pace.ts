// The node's pace for click batches (`paceMs` in every click answer): how long a player waits
// before the next batch so that everyone tapping on this node stays within what it can commit and
// answer in time. A room of 4 gets the floor (150 ms); a room of 1,000 shares the node's budget.
import { monitorEventLoopDelay, performance, type IntervalHistogram } from "node:perf_hooks";
import { processSingleton } from "@/lib/runtime/process-singleton";

export const MIN_PACE_MS = 150;
export const MAX_PACE_MS = 10_000;
/**
 * Batches a second the node takes across all its players before it has measured itself: about
 * what one node commits and answers through the server action on two cores (docs/benchmarks.md,
 * "The room"); a start above it queued a room's first batches for seconds.
 */
const INITIAL_BUDGET = 150;
const MIN_BUDGET = 40;
const MAX_BUDGET = 5000;
const ADJUST_EVERY_MS = 500;
/**
 * The budget follows how late the node's event loop runs (what /api/health and every socket
 * wait for) and how long batches wait for their commit: over LATE it shrinks, under PROMPT it may
 * grow. Not a CPU target: the load generator of a rehearsal may share the cores.
 */
const LATE = { loopDelayMs: 120, answerMs: 400 };
const PROMPT = { loopDelayMs: 50, answerMs: 150 };
const SHRINK = 0.85;
const GROW = 1.2;
/** A player counts as tapping while their last batch is this recent (or two paces, if longer). */
const ACTIVE_FOR_MS = 3000;

/** What the node measured over one adjustment period. */
export type PaceSignals = { loopDelayMs: number; meanAnswerMs: number; batchesPerSecond: number };

export class ClickPace {
  private budget = INITIAL_BUDGET;
  private readonly lastBatchAt = new Map<number, number>();
  private adjustedAt: number;
  private answers = 0;
  private answerMsSum = 0;

  /** `loopDelay`: the event loop's delay histogram (tests pass none and give the signals themselves). */
  constructor(
    now = performance.now(),
    private readonly loopDelay: IntervalHistogram | undefined = undefined,
  ) {
    this.adjustedAt = now;
  }

  /**
   * A batch of `userId` arrived: the player counts from now, so that the first answers of a
   * room that starts tapping all at once already share the budget among all of them.
   */
  arrived(userId: number, now = performance.now()): void {
    this.lastBatchAt.set(userId, now);
  }

  /** A batch of `userId` was answered `answerMs` after it arrived: the player's pace. */
  answered(userId: number, answerMs: number, now = performance.now()): number {
    this.lastBatchAt.set(userId, now);
    this.answers += 1;
    this.answerMsSum += answerMs;
    if (now - this.adjustedAt >= ADJUST_EVERY_MS) {
      const elapsedMs = now - this.adjustedAt;
      const loopDelayMs = this.loopDelay ? this.loopDelay.percentile(99) / 1e6 : 0;
      this.loopDelay?.reset();
      this.adjust({ loopDelayMs, meanAnswerMs: this.answerMsSum / this.answers, batchesPerSecond: (1000 * this.answers) / elapsedMs }, now);
    }
    return this.paceMs();
  }

  /** The pace every tapping player on this node gets now. */
  paceMs(): number {
    const pace = (1000 * Math.max(1, this.lastBatchAt.size)) / this.budget;
    return Math.round(Math.min(MAX_PACE_MS, Math.max(MIN_PACE_MS, pace)));
  }

  /** Batches a second this node currently takes (for the bench and the logs). */
  get batchesPerSecond(): number {
    return this.budget;
  }

  /** One adjustment from what the last period measured (public for tests). */
  adjust(signals: PaceSignals, now: number): void {
    const late = signals.loopDelayMs > LATE.loopDelayMs || signals.meanAnswerMs > LATE.answerMs;
    const prompt = signals.loopDelayMs < PROMPT.loopDelayMs && signals.meanAnswerMs < PROMPT.answerMs;
    // Grown only while players use most of it: an idle node must not bank a budget that a room
    // arriving all at once would then overrun for seconds.
    if (late) this.budget *= SHRINK;
    else if (prompt && signals.batchesPerSecond > 0.5 * this.budget) this.budget *= GROW;
    this.budget = Math.min(MAX_BUDGET, Math.max(MIN_BUDGET, this.budget));
    this.answers = 0;
    this.answerMsSum = 0;
    this.adjustedAt = now;
    const activeFor = Math.max(ACTIVE_FOR_MS, 2 * this.paceMs());
    for (const [userId, at] of this.lastBatchAt) if (now - at > activeFor) this.lastBatchAt.delete(userId);
  }
}

function processPace(): ClickPace {
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  return new ClickPace(performance.now(), loopDelay);
}

export const clickPace = () => processSingleton("click-pace", processPace);
