// Long work that runs on the event loop beside every socket and request (the access sweep over a
// node's sockets) cut into slices of bounded time: between slices it yields a whole turn of the
// event loop (setImmediate, so timers and I/O go first), and it keeps the longest slice it ran.

export type SliceClock = () => number;

export class TimeSlices {
  #sliceStarted: number;
  /** Milliseconds of the longest slice so far, the one running included once `finish` is called. */
  longestMs = 0;
  /** Milliseconds of all slices so far (the time the work held the event loop), likewise. */
  busyMs = 0;
  /** Slices started so far. */
  slices = 1;

  constructor(
    readonly sliceMs: number,
    private readonly now: SliceClock = () => performance.now(),
  ) {
    this.#sliceStarted = now();
  }

  /**
   * True when work expected to take `nextMs` would carry the running slice past its time: the
   * caller should `await yieldTurn()` first.
   */
  wouldOverrun(nextMs = 0): boolean {
    return this.now() - this.#sliceStarted + nextMs >= this.sliceMs;
  }

  /** Ends the running slice, lets the event loop turn, and starts the next slice. */
  async yieldTurn(): Promise<void> {
    this.finish();
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.slices += 1;
    this.#sliceStarted = this.now();
  }

  /** Counts the running slice into `longestMs` (call once the work is done). */
  finish(): void {
    const ranMs = this.now() - this.#sliceStarted;
    this.longestMs = Math.max(this.longestMs, ranMs);
    this.busyMs += ranMs;
  }
}
