// The node's pace for click batches (`paceMs` in every click answer): how long a player waits
// before the next batch so that everyone tapping on this node stays within what it can commit and
// answer in time. A room of 4 gets the floor (150 ms); a room of 1,000 shares the node's budget.
// It is a control loop, and the bench's room showed it swinging: a budget grown in a small room
// let a big one overrun the node, and every player answered in one burst came back in one burst.
// So each answer's pace is spread around the room's pace, the budget changes once per pace (what
// players need to respond), and it follows what the node actually took.
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from "node:perf_hooks";
import { MAX_PACE_MS, STARTING_BATCHES_PER_SECOND } from "@/lib/games/client/click-pace-limits";
import { processSingleton } from "@/lib/runtime/process-singleton";

export const MIN_PACE_MS = 150;
export { MAX_PACE_MS };
/**
 * Batches a second the node takes across all its players before it has measured itself: about
 * what one node commits and answers through the server action on two cores (docs/benchmarks/room.md,
 * "After the pace and window fixes"); a start above it queued a room's first batches for seconds.
 */
const INITIAL_BUDGET = STARTING_BATCHES_PER_SECOND;
const MIN_BUDGET = 40;
const MAX_BUDGET = 5000;
/** The budget changes at most this often, and no more often than once per pace, up to the max. */
const ADJUST_EVERY_MS = 500;
const ADJUST_AT_MOST_EVERY_MS = 2000;
/** Each answer's pace is the room's pace times a factor uniformly within 1 ± this. */
const PACE_SPREAD = 0.5;
/**
 * The budget follows how late the node's event loop runs (what /api/health and every socket
 * wait for), how busy it is, and how long batches wait for their commit: over LATE it shrinks,
 * under PROMPT it may grow. The loop's longest delay counts too: a node whose timers run 120 ms
 * late at p99 can still hold every request for half a second now and then (a budget grown in a
 * room of 200 then met by a room of 1,000: `/api/health` p99 466 ms at 190 batches a second, its
 * loop's p99 under the limit), and a stall that long is what the health check sees.
 *
 * Its utilization (the share of the period the loop was running code, in wall time: a load
 * generator sharing the cores raises it too, which makes the pace careful rather than wrong)
 * keeps 40 % of the loop free: a node that runs the room at 90 % of its loop answers every probe,
 * join and page late, and through the server action a batch costs about 5 ms of it, 3.6 ms of
 * that Next's (docs/benchmarks/room.md). So the pace, not the node, absorbs that cost: a room of
 * 1,000 gets fewer, bigger batches.
 */
const LATE = { loopDelayMs: 120, loopStallMs: 250, answerMs: 400, utilization: 0.6 };
const PROMPT = { loopDelayMs: 50, answerMs: 150, utilization: 0.45 };
const SHRINK = 0.85;
/** However late the node runs, one adjustment at most halves the budget. */
const SHRINK_AT_MOST = 0.5;
const GROW = 1.2;
/**
 * A late node is saturated: what it answered is what it can take, so the budget drops to just
 * under that at once (within SHRINK_AT_MOST). A prompt one grows, but never past this multiple of
 * what it was actually asked: a small room cannot bank a budget a big one would then overrun.
 */
const SATURATED_SHARE = 0.9;
const GROW_PAST_USE_AT_MOST = 1.5;
/** A player counts as tapping while their last batch is this recent (or two paces, if longer). */
const ACTIVE_FOR_MS = 3000;

/** What the node measured over one adjustment period. */
export type PaceSignals = {
  /** The event loop's delay over the period: its p99, and its longest. */
  loopDelayMs: number;
  loopStallMs: number;
  /** The share of the period the event loop was busy (0–1). */
  utilization: number;
  meanAnswerMs: number;
  batchesPerSecond: number;
};

export class ClickPace {
  private budget = INITIAL_BUDGET;
  private readonly lastBatchAt = new Map<number, number>();
  private adjustedAt: number;
  private answers = 0;
  private answerMsSum = 0;
  private utilizationAt: EventLoopUtilization | undefined;

  /**
   * `loopDelay`: the event loop's delay histogram (tests pass none and give the signals
   * themselves); `random`: what spreads each answer's pace (tests pass a constant).
   */
  constructor(
    now = performance.now(),
    private readonly loopDelay: IntervalHistogram | undefined = undefined,
    private readonly random: () => number = Math.random,
  ) {
    this.adjustedAt = now;
    if (loopDelay) this.utilizationAt = performance.eventLoopUtilization();
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
    if (now - this.adjustedAt >= Math.min(ADJUST_AT_MOST_EVERY_MS, Math.max(ADJUST_EVERY_MS, this.roomPaceMs()))) {
      const elapsedMs = now - this.adjustedAt;
      const loopDelayMs = this.loopDelay ? this.loopDelay.percentile(99) / 1e6 : 0;
      const loopStallMs = this.loopDelay ? this.loopDelay.max / 1e6 : 0;
      this.loopDelay?.reset();
      const utilization = this.periodUtilization();
      this.adjust(
        {
          loopDelayMs,
          loopStallMs,
          utilization,
          meanAnswerMs: this.answerMsSum / this.answers,
          batchesPerSecond: (1000 * this.answers) / elapsedMs,
        },
        now,
      );
    }
    return this.paceMs();
  }

  /** The event loop's utilization since the last adjustment (0 without a loop to watch). */
  private periodUtilization(): number {
    if (!this.utilizationAt) return 0;
    const now = performance.eventLoopUtilization();
    const period = performance.eventLoopUtilization(now, this.utilizationAt);
    this.utilizationAt = now;
    return period.utilization;
  }

  /**
   * The pace one answer carries: the room's, spread so that players answered together do not
   * come back together (the mean stays the room's pace). The floor is never spread: a small
   * room taps at it exactly.
   */
  paceMs(): number {
    const pace = this.roomPaceMs();
    if (pace <= MIN_PACE_MS) return MIN_PACE_MS;
    const spread = 1 - PACE_SPREAD + 2 * PACE_SPREAD * this.random();
    return Math.round(Math.min(MAX_PACE_MS, Math.max(MIN_PACE_MS, pace * spread)));
  }

  /** The pace that keeps every tapping player on this node within its budget. */
  roomPaceMs(): number {
    const pace = (1000 * Math.max(1, this.lastBatchAt.size)) / this.budget;
    return Math.min(MAX_PACE_MS, Math.max(MIN_PACE_MS, pace));
  }

  /** Batches a second this node currently takes (for the bench and the logs). */
  get batchesPerSecond(): number {
    return this.budget;
  }

  /** One adjustment from what the last period measured (public for tests). */
  adjust(signals: PaceSignals, now: number): void {
    const late =
      signals.loopDelayMs > LATE.loopDelayMs ||
      signals.loopStallMs > LATE.loopStallMs ||
      signals.utilization > LATE.utilization ||
      signals.meanAnswerMs > LATE.answerMs;
    const prompt =
      signals.loopDelayMs < PROMPT.loopDelayMs &&
      signals.utilization < PROMPT.utilization &&
      signals.meanAnswerMs < PROMPT.answerMs;
    // Grown only while players use most of it: an idle node must not bank a budget that a room
    // arriving all at once would then overrun for seconds.
    if (late)
      this.budget = Math.max(
        SHRINK_AT_MOST * this.budget,
        Math.min(SHRINK * this.budget, SATURATED_SHARE * signals.batchesPerSecond),
      );
    else if (prompt && signals.batchesPerSecond > 0.5 * this.budget)
      this.budget = Math.max(
        this.budget,
        Math.min(GROW * this.budget, GROW_PAST_USE_AT_MOST * signals.batchesPerSecond),
      );
    this.budget = Math.min(MAX_BUDGET, Math.max(MIN_BUDGET, this.budget));
    this.answers = 0;
    this.answerMsSum = 0;
    this.adjustedAt = now;
    const activeFor = Math.max(ACTIVE_FOR_MS, 2 * this.roomPaceMs());
    for (const [userId, at] of this.lastBatchAt) if (now - at > activeFor) this.lastBatchAt.delete(userId);
  }
}

function processPace(): ClickPace {
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  return new ClickPace(performance.now(), loopDelay);
}

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "click-pace": ClickPace;
  }
}

export const clickPace = () => processSingleton("click-pace", processPace);
