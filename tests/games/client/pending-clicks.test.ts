// The click pad's line about unconfirmed taps (lib/games/client/pending-clicks.ts): nothing when
// all are confirmed, "saved" while offline, "sending" at a short pace, and at a big room's long
// pace why the taps wait and how often they go.
import { describe, expect, it } from "vitest";
import { LONG_PACE_MS, pendingClicksMessage, shownPace } from "@/lib/games/client/pending-clicks";

describe("pendingClicksMessage", () => {
  it("says nothing once every tap is confirmed", () => {
    expect(pendingClicksMessage(0, true, 14_000)).toBeNull();
    expect(pendingClicksMessage(0, false, 0)).toBeNull();
  });

  it("says the taps are kept while the bus is offline, whatever the pace", () => {
    expect(pendingClicksMessage(1, false, 150)).toBe("1 click saved — will send when back online");
    expect(pendingClicksMessage(4, false, 14_000)).toBe("4 clicks saved — will send when back online");
  });

  it("says 'sending' at a short pace, and at a long one why the taps wait and how often they go", () => {
    expect(pendingClicksMessage(3, true, 150)).toBe("Sending 3 clicks…");
    expect(pendingClicksMessage(3, true, LONG_PACE_MS - 1)).toBe("Sending 3 clicks…");
    expect(pendingClicksMessage(60, true, 14_400)).toBe("60 clicks queued — a big room, so they go about every 14 s");
    expect(pendingClicksMessage(1, true, LONG_PACE_MS)).toBe("1 click queued — a big room, so they go about every 2 s");
  });

  it("shows a moving average of the paces, not each answer's spread one", () => {
    // The room's pace is 14 s; answers carry it spread by half either way.
    let shown = 0;
    const seen: number[] = [];
    for (const pace of [14_000, 7_000, 21_000, 7_000, 21_000, 14_000]) {
      shown = shownPace(shown, pace);
      seen.push(shown);
    }
    expect(seen[0]).toBe(14_000);
    for (const value of seen) expect(Math.abs(value - 14_000)).toBeLessThan(0.35 * 14_000);
    expect(shownPace(0, 150)).toBe(150);
  });
});
