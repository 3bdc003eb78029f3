// The node's click pace (lib/games/click-pace.ts): the floor for a small room, a share of the
// node's budget for a big one, a budget that shrinks when the node runs late and grows back only
// while players use it, players who stopped tapping forgotten, and the control loop's damping:
// each answer's pace spread around the room's, one change per pace, a budget that follows use.
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { ClickPace, MAX_PACE_MS, MIN_PACE_MS } from "@/lib/games/click-pace";

const calm = { loopDelayMs: 10, loopStallMs: 10, utilization: 0.2, meanAnswerMs: 20 };
/** The middle of the spread: every answer carries the room's pace itself. */
const unspread = () => 0.5;

describe("click pace", () => {
  it("gives a small room the floor and a big room a share of the node's budget", () => {
    const pace = new ClickPace(0, undefined, unspread);
    for (let player = 1; player <= 4; player += 1) expect(pace.answered(player, 5, 0)).toBe(MIN_PACE_MS);
    let last = 0;
    for (let player = 5; player <= 1000; player += 1) last = pace.answered(player, 5, 0);
    expect(last).toBe(Math.round((1000 * 1000) / pace.batchesPerSecond));
    expect(last).toBeGreaterThan(MIN_PACE_MS);
  });

  it("shrinks the budget while the event loop runs late or commits are slow, and grows it back while it is used", () => {
    const pace = new ClickPace(0);
    const start = pace.batchesPerSecond;
    pace.adjust({ ...calm, loopDelayMs: 300, batchesPerSecond: start }, 500);
    expect(pace.batchesPerSecond).toBeLessThan(start);
    const afterLateLoop = pace.batchesPerSecond;
    pace.adjust({ ...calm, meanAnswerMs: 900, batchesPerSecond: start }, 1000);
    expect(pace.batchesPerSecond).toBeLessThan(afterLateLoop);
    const shrunk = pace.batchesPerSecond;
    // Calm but barely used: kept, so an idle node does not bank a budget.
    pace.adjust({ ...calm, batchesPerSecond: shrunk * 0.1 }, 1500);
    expect(pace.batchesPerSecond).toBe(shrunk);
    pace.adjust({ ...calm, batchesPerSecond: shrunk }, 2000);
    expect(pace.batchesPerSecond).toBeGreaterThan(shrunk);
  });

  it("shrinks the budget when the event loop stalled, though its p99 stayed low", () => {
    const pace = new ClickPace(0);
    const start = pace.batchesPerSecond;
    // A period whose timers ran late only once, for 480 ms: what /api/health saw at p99.
    pace.adjust({ ...calm, loopStallMs: 480, batchesPerSecond: start }, 500);
    expect(pace.batchesPerSecond).toBeLessThan(start);
    const shrunk = pace.batchesPerSecond;
    // A stall within what health allows leaves it be.
    pace.adjust({ ...calm, loopDelayMs: 60, loopStallMs: 200, batchesPerSecond: shrunk }, 1000);
    expect(pace.batchesPerSecond).toBe(shrunk);
  });

  it("shrinks the budget while the event loop is busy most of the time, though it runs on time", () => {
    const pace = new ClickPace(0);
    const start = pace.batchesPerSecond;
    // A loop that answers its timers promptly but has no room left for a probe or a join.
    pace.adjust({ ...calm, utilization: 0.9, batchesPerSecond: start }, 500);
    expect(pace.batchesPerSecond).toBeLessThan(start);
    const shrunk = pace.batchesPerSecond;
    // Between the two thresholds it neither shrinks nor grows: busy enough, not too busy.
    pace.adjust({ ...calm, utilization: 0.5, batchesPerSecond: shrunk }, 1000);
    expect(pace.batchesPerSecond).toBe(shrunk);
    pace.adjust({ ...calm, utilization: 0.3, batchesPerSecond: shrunk }, 1500);
    expect(pace.batchesPerSecond).toBeGreaterThan(shrunk);
  });

  it("measures the utilization of the process's own event loop", async () => {
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    try {
      const pace = new ClickPace(performance.now(), loopDelay, unspread);
      for (let player = 1; player <= 40; player += 1) pace.arrived(player, performance.now());
      const start = pace.batchesPerSecond;
      // For 700 ms (over one adjustment period) the loop runs 5 ms of work after every turn: its
      // timers are never late by more than that, but it is never idle.
      const busyUntil = performance.now() + 700;
      while (performance.now() < busyUntil) {
        const sliceEnd = performance.now() + 5;
        while (performance.now() < sliceEnd) pace.arrived(1, performance.now());
        await new Promise((resolve) => setImmediate(resolve));
      }
      pace.answered(1, 5, performance.now());
      expect(pace.batchesPerSecond).toBeLessThan(start);
    } finally {
      loopDelay.disable();
    }
  });

  it("forgets players who stopped tapping", () => {
    const pace = new ClickPace(0);
    for (let player = 1; player <= 2000; player += 1) pace.answered(player, 5, 0);
    expect(pace.paceMs()).toBeGreaterThan(MIN_PACE_MS);
    // A minute later (over two of the longest paces) only the player still tapping counts.
    expect(pace.answered(1, 5, 2 * MAX_PACE_MS + 1)).toBe(MIN_PACE_MS);
  });

  it("counts a player from their batch's arrival, so a room arriving at once is paced from its first answers", () => {
    const pace = new ClickPace(0, undefined, unspread);
    for (let player = 1; player <= 1000; player += 1) pace.arrived(player, 0);
    expect(pace.answered(1, 5, 1)).toBe(Math.round((1000 * 1000) / pace.batchesPerSecond));
  });

  it("spreads each answer's pace around the room's, by half either way, but never the floor", () => {
    let draw = 0;
    const pace = new ClickPace(0, undefined, () => draw);
    expect(pace.answered(1, 5, 0)).toBe(MIN_PACE_MS);
    draw = 1;
    expect(pace.answered(1, 5, 0)).toBe(MIN_PACE_MS);
    for (let player = 2; player <= 500; player += 1) pace.arrived(player, 0);
    const room = pace.roomPaceMs();
    expect(room).toBeGreaterThan(2 * MIN_PACE_MS);
    draw = 0;
    expect(pace.paceMs()).toBe(Math.round(room * 0.5));
    draw = 0.999999;
    expect(pace.paceMs()).toBe(Math.round(room * 1.5));
  });

  it("drops a late node's budget to just under what it answered, but never by more than half at once", () => {
    const pace = new ClickPace(0);
    const start = pace.batchesPerSecond;
    pace.adjust({ ...calm, meanAnswerMs: 2000, batchesPerSecond: start * 0.9 }, 500);
    expect(pace.batchesPerSecond).toBeCloseTo(start * 0.9 * 0.9);
    const saturated = pace.batchesPerSecond;
    pace.adjust({ ...calm, meanAnswerMs: 2000, batchesPerSecond: 1 }, 1000);
    expect(pace.batchesPerSecond).toBeCloseTo(saturated / 2);
  });

  it("grows a prompt node's budget no further than half again what its players asked of it", () => {
    const pace = new ClickPace(0);
    const asked = pace.batchesPerSecond * 0.9;
    pace.adjust({ ...calm, batchesPerSecond: asked }, 500);
    expect(pace.batchesPerSecond).toBeGreaterThan(asked / 0.9);
    // A small room taps for a long time at what it needs: the budget stops near its use.
    for (let at = 1000; at <= 60_000; at += 500) pace.adjust({ ...calm, batchesPerSecond: asked }, at);
    expect(pace.batchesPerSecond).toBeCloseTo(asked * 1.5);
  });

  it("changes the budget once per room pace, so players have answered the last change first", () => {
    const pace = new ClickPace(0, undefined, unspread);
    for (let player = 1; player <= 1000; player += 1) pace.arrived(player, 0);
    const budget = pace.batchesPerSecond;
    const roomPace = pace.roomPaceMs();
    expect(roomPace).toBeGreaterThan(1000);
    // Slow answers for a whole second: not yet one room pace, so nothing changes.
    for (let at = 100; at <= 1000; at += 100) pace.answered(1 + (at % 1000), 900, at);
    expect(pace.batchesPerSecond).toBe(budget);
    pace.answered(2, 900, Math.min(2000, roomPace) + 1);
    expect(pace.batchesPerSecond).toBeLessThan(budget);
  });
});
