// The socket fuzz's judge: a cut socket is an allowed answer only to input that is malformed on
// the wire or oversized, or when an earlier input on that socket may have been the one cut for.
import { describe, expect, it } from "vitest";
import { MAX_FRAME_BYTES } from "@/lib/bus/protocol";
import { problemWith } from "./socket-verdict";

const subscribe = (args: unknown[]) => ({ kind: "emit" as const, event: "subscribe", args, ack: true });
const cut = (earlierMayExplain = false) => ({
  kind: "disconnected" as const,
  reason: "transport close",
  earlierMayExplain,
});

describe("a cut socket", () => {
  it("is a problem for a well-formed subscribe, and for one with binary alone", () => {
    expect(problemWith(subscribe([{ channels: ["lobby"] }]), cut())).toMatch(/neither malformed nor oversized/);
    expect(problemWith(subscribe([{ channels: ["lobby"], extra: Buffer.from([1, 2]) }]), cut())).not.toBeNull();
  });

  it("is allowed for binary beside a forged placeholder, however deep", () => {
    let nested: unknown = { _placeholder: true, num: 7 };
    for (let depth = 0; depth < 5000; depth += 1) nested = { a: nested };
    expect(problemWith(subscribe([{ channels: nested, extra: Buffer.from([1]) }]), cut())).toBeNull();
  });

  it("is allowed for a frame past the limit, not for one well within it", () => {
    expect(problemWith(subscribe([{ channels: ["x".repeat(MAX_FRAME_BYTES)] }]), cut())).toBeNull();
    expect(problemWith(subscribe([{ channels: ["x".repeat(MAX_FRAME_BYTES / 2)] }]), cut())).not.toBeNull();
  });

  it("says nothing of an input when an earlier one on its socket may explain the cut", () => {
    expect(problemWith(subscribe([{ channels: ["lobby"] }]), cut(true))).toBeNull();
  });
});
