// The node's click pace (lib/games/click-pace.ts): the floor for a small room, a share of the
// node's budget for a big one, and a budget that shrinks when answers get slow.
import { describe, expect, it } from "vitest";
import { ClickPace, MIN_PACE_MS } from "@/lib/games/click-pace";

describe("click pace", () => {
  it("gives a small room the floor and a big room a share of the node's budget", () => {
    const pace = new ClickPace(0);
    for (let player = 1; player <= 4; player += 1) expect(pace.answered(player, 5, 0)).toBe(MIN_PACE_MS);
    let last = 0;
    for (let player = 5; player <= 1000; player += 1) last = pace.answered(player, 5, 0);
    // 1,000 players within the node's budget of batches a second.
    expect(last).toBe(Math.round((1000 * 1000) / pace.batchesPerSecond));
    expect(last).toBeGreaterThan(MIN_PACE_MS);
  });

  it("slows everyone down when answers are slow, and forgets players who stopped", () => {
    const pace = new ClickPace(0);
    for (let player = 1; player <= 600; player += 1) pace.answered(player, 5, 0);
    const before = pace.paceMs();
    // Answers taking 800 ms: the next adjustment shrinks the budget, so the pace grows.
    pace.answered(1, 800, 100);
    const slowed = pace.answered(2, 800, 700);
    expect(slowed).toBeGreaterThan(before);
    // Twenty seconds later only the player still tapping counts.
    expect(pace.answered(3, 5, 20_000)).toBe(MIN_PACE_MS);
  });
});
