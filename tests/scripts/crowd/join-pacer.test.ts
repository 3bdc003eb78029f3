// The crowd's join pacer (scripts/crowd/join-pacer.ts): a wave of 429s, one for each join that
// was in flight when the room's limit was reached, halves the pace once; a 429 after the pause
// ended is a new refusal and halves it again; joins that succeed bring the pace back.
import { describe, expect, it } from "vitest";
import { JoinPacer } from "@/scripts/crowd/join-pacer";

describe("join pacer", () => {
  it("halves the pace once for the joins refused together, however many were in flight", () => {
    const pacer = new JoinPacer(200);
    for (let inFlight = 0; inFlight < 8; inFlight += 1) pacer.limited(3000, 10_000 + inFlight);
    expect(pacer.pace).toBe(100);
  });

  it("halves it again for a refusal after the pause, and recovers while joins succeed", () => {
    const pacer = new JoinPacer(200);
    pacer.limited(3000, 10_000);
    pacer.limited(1000, 13_000);
    expect(pacer.pace).toBe(50);
    for (let joined = 0; joined < 100; joined += 1) pacer.joined();
    expect(pacer.pace).toBe(200);
  });
});
