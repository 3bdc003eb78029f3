// The presenter screen's live figures (lib/games/client): clicks per second over the last minute
// (from successive tally totals), and a running round's standings from the tallies' round scores.
import { describe, expect, it } from "vitest";
import {
  currentRate,
  perSecond,
  RATE_WINDOW_SECONDS,
  withClicks,
  withTotal,
  type TotalRate,
} from "@/lib/games/client/rate-window";
import { emptyTally, leaders, seededTally, withRoundScores } from "@/lib/games/client/round-tally";

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

describe("rate from tallies", () => {
  it("counts each total's rise at its tally's second, and nothing for a total already counted", () => {
    const now = second(1000) + 500;
    let rate: TotalRate = { counts: new Map([[second(998) / 1000, 4]]), total: 100 };
    rate = withTotal(rate, 103, second(999) + 100, now);
    rate = withTotal(rate, 110, second(999) + 200, now);
    rate = withTotal(rate, 105, second(999) + 300, now); // replayed, older: nothing
    rate = withTotal(rate, 110, second(999) + 400, now); // the same total again: nothing
    expect(rate.total).toBe(110);
    expect(perSecond(rate.counts, now).slice(-2)).toEqual([4, 10]);
  });
});

describe("round tally", () => {
  const ada = { id: 1, username: "ada" };
  const bob = { id: 2, username: "bob" };
  const endsAt = new Date(second(100)).toISOString();

  it("takes each listed player's round score (the larger wins), ranks like the server's podium, and ignores other rounds", () => {
    let tally = seededTally(7, endsAt, [{ userId: bob.id, username: bob.username, clicks: 4 }]);
    tally = withRoundScores(tally, { id: 7, contributions: [{ ...ada, clicks: 3 }] });
    tally = withRoundScores(tally, { id: 7, contributions: [{ ...ada, clicks: 4 }] });
    tally = withRoundScores(tally, { id: 7, contributions: [{ ...ada, clicks: 2 }] }); // an older tally, replayed
    tally = withRoundScores(tally, { id: 6, contributions: [{ ...bob, clicks: 90 }] }); // another round
    tally = withRoundScores(tally, undefined);
    expect(leaders(tally)).toEqual([
      { userId: 1, username: "ada", clicks: 4 },
      { userId: 2, username: "bob", clicks: 4 },
    ]);
    expect(leaders(emptyTally(8, endsAt))).toEqual([]);
  });
});
