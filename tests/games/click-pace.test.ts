// The node's click pace (lib/games/click-pace.ts): the floor for a small room, a share of the
// node's budget for a big one, a budget that shrinks when the node runs late and grows back only
// while players use it, and players who stopped tapping forgotten.
import { describe, expect, it } from "vitest";
import { ClickPace, MIN_PACE_MS } from "@/lib/games/click-pace";

const calm = { loopDelayMs: 10, meanAnswerMs: 20 };

describe("click pace", () => {
  it("gives a small room the floor and a big room a share of the node's budget", () => {
    const pace = new ClickPace(0);
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

  it("forgets players who stopped tapping", () => {
    const pace = new ClickPace(0);
    for (let player = 1; player <= 2000; player += 1) pace.answered(player, 5, 0);
    expect(pace.paceMs()).toBeGreaterThan(MIN_PACE_MS);
    // Half a minute later (over two paces of 10 s) only the player still tapping counts.
    expect(pace.answered(1, 5, 30_000)).toBe(MIN_PACE_MS);
  });

  it("counts a player from their batch's arrival, so a room arriving at once is paced from its first answers", () => {
    const pace = new ClickPace(0);
    for (let player = 1; player <= 1000; player += 1) pace.arrived(player, 0);
    expect(pace.answered(1, 5, 1)).toBe(Math.round((1000 * 1000) / pace.batchesPerSecond));
  });
});
