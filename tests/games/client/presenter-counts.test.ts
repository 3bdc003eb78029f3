// The presenter screen's live figures (lib/games/client): clicks per second over the last minute,
// and a running round's standings counted from `clicks` notifications.
import { describe, expect, it } from "vitest";
import { currentRate, perSecond, RATE_WINDOW_SECONDS, withClicks } from "@/lib/games/client/rate-window";
import { emptyTally, leaders, seededTally, withBatch } from "@/lib/games/client/round-tally";

const second = (s: number) => s * 1000;

describe("rate window", () => {
  it("counts clicks per whole second, oldest first, and forgets what left the minute", () => {
    const now = second(1000) + 500;
    let counts = withClicks(new Map(), second(999) + 10, 3, now);
    counts = withClicks(counts, second(999) + 900, 2, now);
    counts = withClicks(counts, second(900), 7, now); // older than a minute: dropped
    const series = perSecond(counts, now);
    expect(series).toHaveLength(RATE_WINDOW_SECONDS);
    expect(series.at(-1)).toBe(5);
    expect(series.slice(0, -1).every((value) => value === 0)).toBe(true);
    // The current, unfinished second is not in the chart yet.
    expect(perSecond(withClicks(counts, now, 4, now), now).at(-1)).toBe(5);
    expect(currentRate([0, 0, 0, 0, 0, 10, 0, 0, 5, 5])).toBe(4);
  });
});

describe("round tally", () => {
  const ada = { id: 1, username: "ada" };
  const bob = { id: 2, username: "bob" };
  const endsAt = new Date(second(100)).toISOString();

  it("adds batches stamped before the end, ranks like the server's podium, and ignores later ones", () => {
    let tally = seededTally(7, endsAt, [{ userId: bob.id, username: bob.username, clicks: 4 }]);
    tally = withBatch(tally, ada, 3, second(50));
    tally = withBatch(tally, ada, 1, second(99));
    tally = withBatch(tally, bob, 9, second(100)); // committed at the end: not in the round
    expect(leaders(tally)).toEqual([
      { userId: 1, username: "ada", clicks: 4 },
      { userId: 2, username: "bob", clicks: 4 },
    ]);
    expect(leaders(emptyTally(8, endsAt))).toEqual([]);
  });
});
