// Unit tests of lib/games/milestones.ts: which totals are milestones and which a batch crosses.
import { describe, expect, it } from "vitest";
import { FIRST_MILESTONE, milestonesCrossed, nextMilestone } from "@/lib/games/milestones";

describe("milestonesCrossed", () => {
  it.each<[number, number, number[]]>([
    [0, 99, []],
    [0, 100, [100]],
    [99, 100, [100]],
    [100, 101, []],
    [100, 100, []],
    [999, 1000, [1000]],
    [50, 150, [100]],
    [0, 10_000, [100, 1000, 10_000]],
    [150, 1_000_000, [1000, 10_000, 100_000, 1_000_000]],
    [1_000_000, 1_000_499, []],
  ])("from %i to %i crosses %j", (before, after, expected) => {
    expect(milestonesCrossed(before, after)).toEqual(expected);
  });

  it("never reports a milestone twice across consecutive batches", () => {
    const seen: number[] = [];
    let total = 0;
    for (const count of [37, 64, 1, 500, 400, 3, 500, 500]) {
      seen.push(...milestonesCrossed(total, total + count));
      total += count;
    }
    expect(seen).toEqual([100, 1000]);
    expect(total).toBe(2005);
  });
});

describe("nextMilestone", () => {
  it.each<[number, number]>([
    [0, FIRST_MILESTONE],
    [99, 100],
    [100, 1000],
    [999, 1000],
    [1000, 10_000],
    [123_456, 1_000_000],
  ])("after %i comes %i", (total, expected) => {
    expect(nextMilestone(total)).toBe(expected);
  });
});
