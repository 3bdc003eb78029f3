"use client";
// Rendering at most once per animation frame however fast notifications come: items are kept
// as they arrive and handed over together in the next frame (one React update, not one per item).
import { useCallback, useEffect, useRef } from "react";

/** How a batch waits for its frame; injected so tests drive it without a browser. */
export type FrameScheduler = {
  request: (callback: () => void) => number;
  cancel: (handle: number) => void;
};

/**
 * A hidden tab gets no animation frames at all: without this, a background tab would keep every
 * notification of a busy room in memory until it is shown again. Its batches go out on a timer.
 */
export const HIDDEN_FLUSH_MS = 1000;

const browserFrames: FrameScheduler = {
  request: (callback) => window.requestAnimationFrame(callback),
  cancel: (handle) => window.cancelAnimationFrame(handle),
};

export class FrameBatch<T> {
  private items: T[] = [];
  private frame: number | null = null;
  private fallback: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly flush: (items: T[]) => void,
    private readonly frames: FrameScheduler = browserFrames,
  ) {}

  push(item: T): void {
    this.items.push(item);
    if (this.frame !== null) return;
    this.frame = this.frames.request(() => this.deliver());
    this.fallback = setTimeout(() => this.deliver(), HIDDEN_FLUSH_MS);
  }

  /** Drops what waits (the component is going away, nothing is left to render it). */
  stop(): void {
    this.cancelTimers();
    this.items = [];
  }

  private cancelTimers(): void {
    if (this.frame !== null) this.frames.cancel(this.frame);
    if (this.fallback !== null) clearTimeout(this.fallback);
    this.frame = null;
    this.fallback = null;
  }

  private deliver(): void {
    this.cancelTimers();
    const items = this.items;
    this.items = [];
    if (items.length > 0) this.flush(items);
  }
}

/**
 * `push` for a component: what it receives is handed to `flush` once per frame, in arrival order.
 * `flush` may change every render (the latest one is called); `push` never changes.
 */
export function useFrameBatch<T>(flush: (items: T[]) => void): (item: T) => void {
  const latest = useRef(flush);
  useEffect(() => {
    latest.current = flush;
  });
  const batch = useRef<FrameBatch<T> | null>(null);
  useEffect(
    () => () => {
      batch.current?.stop();
      batch.current = null;
    },
    [],
  );
  // Created on first use, not in an effect: a bus listener may deliver before this hook's effect ran.
  return useCallback((item: T) => {
    batch.current ??= new FrameBatch<T>((items) => latest.current(items));
    batch.current.push(item);
  }, []);
}
