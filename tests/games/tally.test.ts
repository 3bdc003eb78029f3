// Merging two tallies of one window (lib/games/tally.ts): counts are absolute, so the larger one
// wins whatever the order, players of both are kept, and a new round replaces the old one's scores.
import { describe, expect, it } from "vitest";
import { mergeTallies } from "@/lib/games/tally";

const alice = { id: 1, username: "alice" };
const bob = { id: 2, username: "bob" };

describe("tally merge", () => {
  it("keeps every player's latest count and the larger total, in either order", () => {
    const earlier = {
      total: 10,
      contributions: [
        { ...alice, clicks: 6 },
        { ...bob, clicks: 4 },
      ],
    };
    const later = { total: 13, contributions: [{ ...alice, clicks: 9 }] };
    const merged = {
      total: 13,
      contributions: [
        { ...alice, clicks: 9 },
        { ...bob, clicks: 4 },
      ],
    };
    expect(mergeTallies(earlier, later)).toEqual(merged);
    expect(mergeTallies(later, earlier)).toEqual(merged);
  });

  it("merges the scores of one round and lets a new round replace the previous one", () => {
    const inRound = {
      total: 5,
      contributions: [{ ...alice, clicks: 5 }],
      round: { id: 7, contributions: [{ ...alice, clicks: 2 }] },
    };
    const sameRound = {
      total: 8,
      contributions: [{ ...bob, clicks: 3 }],
      round: { id: 7, contributions: [{ ...bob, clicks: 3 }] },
    };
    expect(mergeTallies(inRound, sameRound).round).toEqual({
      id: 7,
      contributions: [
        { ...alice, clicks: 2 },
        { ...bob, clicks: 3 },
      ],
    });
    const nextRound = {
      total: 9,
      contributions: [{ ...bob, clicks: 4 }],
      round: { id: 8, contributions: [{ ...bob, clicks: 1 }] },
    };
    expect(mergeTallies(inRound, nextRound).round).toEqual({ id: 8, contributions: [{ ...bob, clicks: 1 }] });
    expect(mergeTallies(inRound, { total: 9, contributions: [] }).round).toEqual(inRound.round);
  });
});
