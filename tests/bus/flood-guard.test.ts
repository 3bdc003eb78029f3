// Unit tests of the socket flood guard (lib/bus/flood-guard.ts) and the token bucket behind it
// (lib/runtime/token-bucket.ts), with an injected clock.
import { describe, expect, it } from "vitest";
import { FloodGuard, MAX_STRIKES, MESSAGE_BURST } from "@/lib/bus/flood-guard";
import { TokenBucket } from "@/lib/runtime/token-bucket";

describe("TokenBucket", () => {
  it("gives a full burst, then refuses", () => {
    const bucket = new TokenBucket(3, 2, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
  });

  it("refills at the given rate and a refusal costs nothing", () => {
    const bucket = new TokenBucket(3, 2, 0);
    for (let index = 0; index < 3; index += 1) bucket.take(0);
    expect(bucket.take(499)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
    expect(bucket.take(1000)).toBe(true);
  });

  it("never holds more than the burst however long it rests", () => {
    const bucket = new TokenBucket(2, 10, 0);
    const taken = Array.from({ length: 5 }, () => bucket.take(3_600_000));
    expect(taken).toEqual([true, true, false, false, false]);
  });
});

describe("FloodGuard", () => {
  it(`allows a burst of ${MESSAGE_BURST} messages at once`, () => {
    const guard = new FloodGuard();
    const results = Array.from({ length: MESSAGE_BURST + 5 }, () => guard.take());
    expect(results.slice(0, MESSAGE_BURST).every(Boolean)).toBe(true);
    expect(results.slice(MESSAGE_BURST).some(Boolean)).toBe(false);
  });

  it(`asks for a disconnect at the ${MAX_STRIKES}th strike`, () => {
    const guard = new FloodGuard();
    const verdicts = Array.from({ length: MAX_STRIKES }, () => guard.strike());
    expect(verdicts.indexOf(true)).toBe(MAX_STRIKES - 1);
    expect(MAX_STRIKES).toBeLessThanOrEqual(25);
  });
});
