// Merging two tallies of one window (lib/games/tally.ts): counts are absolute, so the larger one
// wins whatever the order, players of both are kept, and a new round replaces the old one's scores.
import { describe, expect, it } from "vitest";
import { opensWindow } from "@/lib/bus/conflation";
import { mergeTallies, tallyConflation } from "@/lib/games/tally";

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

/** Of `commits` tallies announced `everyMs` apart on a fresh channel watched by `sockets` on this node, those sent at once. */
function sentAtOnce(channel: string, commits: number, everyMs: number, sockets: number): number {
  let sent = 0;
  for (let commit = 0; commit < commits; commit += 1)
    if (opensWindow(channel, "tally", tallyConflation, sockets, 1_000_000 + commit * everyMs)) sent += 1;
  return sent;
}

describe("when a game's tallies are conflated", () => {
  it("sends a workshop table's every tally at once, even watched by 150 screens", () => {
    // Four players at the page's 150 ms pace: about 27 commits a second.
    expect(sentAtOnce("game:tally-table", 54, 37, 150)).toBe(54);
  });

  it("sends only the first few tallies of a room of a thousand one by one", () => {
    // The room's first batches, spread at about 110 a second: a tally to a thousand phones costs
    // the node some 20 ms of its loop, so twenty of them before the windows apply stall the room.
    const first100ms = sentAtOnce("game:tally-room", 11, 9, 1000);
    expect(first100ms).toBeGreaterThanOrEqual(2);
    expect(first100ms).toBeLessThanOrEqual(6);
  });
});
