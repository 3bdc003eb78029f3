// The node's pace for click batches (`paceMs` in every click answer): how long a player waits
// before the next batch so that everyone tapping on this node stays within what it can commit and
// answer in time. A room of 4 gets the floor (150 ms); a room of 1,000 shares the node's budget.
import { performance } from "node:perf_hooks";
import { processSingleton } from "@/lib/runtime/process-singleton";

export const MIN_PACE_MS = 150;
export const MAX_PACE_MS = 10_000;
/** Batches a second the node takes across all its players before it has measured itself. */
const INITIAL_BUDGET = 300;
const MIN_BUDGET = 20;
const MAX_BUDGET = 5000;
const ADJUST_EVERY_MS = 500;
/**
 * The budget follows the node's event-loop utilization (Node's own measure of how busy its one
 * thread is): above BUSY it shrinks, under IDLE it grows. Between them the node still answers
 * /api/health and sockets promptly; it is not a CPU target, the load generator may share the cores.
 */
const BUSY = 0.75;
const IDLE = 0.55;
/** Answers slower than this (from arrival to commit) shrink the budget whatever the utilization. */
const SLOW_ANSWER_MS = 500;
/** A player counts as tapping while their last batch is this recent (or two paces, if longer). */
const ACTIVE_FOR_MS = 3000;

export class ClickPace {
  private budget = INITIAL_BUDGET;
  private readonly lastBatchAt = new Map<number, number>();
  private utilization = performance.eventLoopUtilization();
  private adjustedAt: number;
  private slowestAnswerMs = 0;
  private batchesSinceAdjust = 0;

  constructor(now = performance.now()) {
    this.adjustedAt = now;
  }

  /** A batch of `userId` was answered `answerMs` after it arrived: the player's pace. */
  answered(userId: number, answerMs: number, now = performance.now()): number {
    this.lastBatchAt.set(userId, now);
    this.slowestAnswerMs = Math.max(this.slowestAnswerMs, answerMs);
    this.batchesSinceAdjust += 1;
    if (now - this.adjustedAt >= ADJUST_EVERY_MS) this.adjust(now);
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

  private adjust(now: number): void {
    const busy = performance.eventLoopUtilization(this.utilization).utilization;
    this.utilization = performance.eventLoopUtilization();
    // Grown only while players use most of it: an idle node must not bank a budget that a
    // room arriving all at once would then overrun for seconds.
    const used = (1000 * this.batchesSinceAdjust) / (now - this.adjustedAt) / this.budget;
    if (busy > BUSY || this.slowestAnswerMs > SLOW_ANSWER_MS) this.budget *= 0.8;
    else if (busy < IDLE && this.slowestAnswerMs < SLOW_ANSWER_MS / 2 && used > 0.6) this.budget *= 1.15;
    this.budget = Math.min(MAX_BUDGET, Math.max(MIN_BUDGET, this.budget));
    this.slowestAnswerMs = 0;
    this.batchesSinceAdjust = 0;
    this.adjustedAt = now;
    const activeFor = Math.max(ACTIVE_FOR_MS, 2 * this.paceMs());
    for (const [userId, at] of this.lastBatchAt) if (now - at > activeFor) this.lastBatchAt.delete(userId);
  }
}

export const clickPace = () => processSingleton("click-pace", () => new ClickPace());
