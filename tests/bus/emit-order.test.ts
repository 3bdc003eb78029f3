// Unit tests of the node's emit line (lib/bus/emit-order.ts): after-commit steps run in the order
// the turns were taken (the order ids were drawn), whatever order the commits answer in; a failed
// commit, a throwing step or a commit that never answers holds nobody up for long.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EmitLine, OVERTAKE_AFTER_MS } from "@/lib/bus/emit-order";

let ran: string[];
const step = (name: string) => () => void ran.push(name);

beforeEach(() => {
  ran = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("EmitLine", () => {
  it("runs a later commit's steps only after the earlier one's, when the later answers first", () => {
    const line = new EmitLine();
    const [first, second, third] = [line.take(), line.take(), line.take()];
    third.settle(step("third"));
    second.settle(step("second"));
    expect(ran).toEqual([]);
    first.settle(step("first"));
    expect(ran).toEqual(["first", "second", "third"]);
    expect(line.length).toBe(0);
  });

  it("runs at once when nobody is ahead", () => {
    const line = new EmitLine();
    line.take().settle(step("alone"));
    expect(ran).toEqual(["alone"]);
  });

  it("lets the next turn go when an earlier commit failed", () => {
    const line = new EmitLine();
    const [failed, next] = [line.take(), line.take()];
    next.settle(step("next"));
    failed.settle(null);
    expect(ran).toEqual(["next"]);
  });

  it("goes past a commit that never answers after the overtake delay, and runs it late when it does", () => {
    const line = new EmitLine();
    const [silent, second, third] = [line.take(), line.take(), line.take()];
    second.settle(step("second"));
    vi.advanceTimersByTime(OVERTAKE_AFTER_MS / 2);
    // A later settle does not restart the head's clock.
    third.settle(step("third"));
    vi.advanceTimersByTime(OVERTAKE_AFTER_MS / 2 - 1);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(["second", "third"]);
    silent.settle(step("silent"));
    expect(ran).toEqual(["second", "third", "silent"]);
    expect(line.length).toBe(0);
  });

  it("does not overtake a head that nobody waits behind", () => {
    const line = new EmitLine();
    const [slow, next] = [line.take(), line.take()];
    vi.advanceTimersByTime(OVERTAKE_AFTER_MS * 3);
    next.settle(step("next"));
    slow.settle(step("slow"));
    expect(ran).toEqual(["slow", "next"]);
  });

  it("runs the turns behind a step that throws", () => {
    const line = new EmitLine();
    const [throwing, next] = [line.take(), line.take()];
    next.settle(step("next"));
    throwing.settle(() => {
      throw new Error("a revocation failed");
    });
    expect(ran).toEqual(["next"]);
  });

  it("ignores a second settle of the same turn", () => {
    const line = new EmitLine();
    const turn = line.take();
    turn.settle(step("once"));
    turn.settle(step("twice"));
    expect(ran).toEqual(["once"]);
  });
});
