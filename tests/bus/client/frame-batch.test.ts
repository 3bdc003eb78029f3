// FrameBatch (lib/bus/client/frame-batch.ts): however many items come between two frames, the
// next frame hands them over once, in order; a tab without frames (hidden) still gets them on a
// timer; a stopped batch delivers nothing. Frames are driven by hand, timers by Vitest's clock.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FrameBatch, HIDDEN_FLUSH_MS, type FrameScheduler } from "@/lib/bus/client/frame-batch";

function manualFrames() {
  const waiting = new Map<number, () => void>();
  let next = 1;
  const scheduler: FrameScheduler = {
    request: (callback) => {
      waiting.set(next, callback);
      return next++;
    },
    cancel: (handle) => void waiting.delete(handle),
  };
  const runFrame = () => {
    const callbacks = [...waiting.values()];
    waiting.clear();
    callbacks.forEach((callback) => callback());
  };
  return { scheduler, runFrame, pending: () => waiting.size };
}

describe("FrameBatch", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("hands a burst over once, in the next frame, in arrival order", () => {
    const frames = manualFrames();
    const flushed: number[][] = [];
    const batch = new FrameBatch<number>((items) => flushed.push(items), frames.scheduler);
    for (let i = 0; i < 500; i += 1) batch.push(i);
    expect(flushed).toEqual([]);
    expect(frames.pending()).toBe(1);
    frames.runFrame();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toEqual(Array.from({ length: 500 }, (_, i) => i));
    // Nothing new: the next frame is not even asked for, and the hidden-tab timer was cleared.
    frames.runFrame();
    vi.advanceTimersByTime(HIDDEN_FLUSH_MS * 2);
    expect(flushed).toHaveLength(1);
    batch.push(500);
    frames.runFrame();
    expect(flushed).toEqual([expect.any(Array), [500]]);
  });

  it("delivers on a timer when no frame comes (a hidden tab), once", () => {
    const frames = manualFrames();
    const flushed: string[][] = [];
    const batch = new FrameBatch<string>((items) => flushed.push(items), frames.scheduler);
    batch.push("a");
    batch.push("b");
    vi.advanceTimersByTime(HIDDEN_FLUSH_MS);
    expect(flushed).toEqual([["a", "b"]]);
    expect(frames.pending()).toBe(0);
  });

  it("delivers nothing after stop", () => {
    const frames = manualFrames();
    const flush = vi.fn();
    const batch = new FrameBatch<string>(flush, frames.scheduler);
    batch.push("a");
    batch.stop();
    frames.runFrame();
    vi.advanceTimersByTime(HIDDEN_FLUSH_MS);
    expect(flush).not.toHaveBeenCalled();
  });
});
