// The click pad's line about unconfirmed taps (lib/games/client/pending-clicks.ts): nothing when
// all are confirmed, "saved" while offline, "sending" at a short pace, and at a big room's long
// pace why the taps wait and how often they go.
import { describe, expect, it } from "vitest";
import { LONG_PACE_MS, pendingClicksMessage } from "@/lib/games/client/pending-clicks";

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
    expect(pendingClicksMessage(60, true, 14_400)).toBe("60 clicks queued — a big room, so they go every 14 s");
    expect(pendingClicksMessage(1, true, LONG_PACE_MS)).toBe("1 click queued — a big room, so they go every 2 s");
  });
});
