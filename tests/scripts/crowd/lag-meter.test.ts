// The projector's lag: from each commit's stamp to the first screen total that reached it, also
// when the commit becomes known only after its total was on screen.
import { describe, expect, it } from "vitest";
import { LagMeter } from "@/scripts/crowd/lag-meter";

describe("LagMeter", () => {
  it("measures a commit from its stamp to the first total on screen that reaches it", () => {
    const meter = new LagMeter();
    meter.committed(10, 1000);
    meter.committed(25, 1040);
    meter.show(12, 1100);
    meter.show(30, 1200);
    const summary = meter.lag.summary();
    expect(summary.count).toBe(2);
    expect(summary.p50).toBeCloseTo(100, 0);
    expect(summary.max).toBeCloseTo(160, 0);
    expect(meter.unshown).toBe(0);
  });

  it("counts a commit whose answer arrived after the screen showed it from the commit's stamp", () => {
    const meter = new LagMeter();
    meter.show(5, 1000);
    meter.show(20, 1090);
    meter.show(40, 1300);
    // Committed at 1050, reaching 18: the screen first showed ≥ 18 at 1090.
    meter.committed(18, 1050);
    // Committed at 1400, after its total was already shown: no lag.
    meter.committed(30, 1400);
    const summary = meter.lag.summary();
    expect(summary.count).toBe(2);
    expect(summary.max).toBeCloseTo(40, 0);
    expect(summary.p50).toBeCloseTo(0, 1);
  });

  it("keeps a commit the screen never reached as unshown", () => {
    const meter = new LagMeter();
    meter.show(10, 1000);
    meter.committed(11, 1010);
    expect(meter.unshown).toBe(1);
    expect(meter.lag.count).toBe(0);
  });
});
