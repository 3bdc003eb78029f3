// What a channel kind declares for an event whose announcements are conflated (merged over a
// window into one notification): its payload's shape, how two merge, and when windows apply.
// The windows themselves are conflation.ts.
import type { z } from "zod";

export const DEFAULT_CONFLATION_WINDOW_MS = 100;

/** What a kind declares for one of its events (see `conflated`). */
export type ConflatedEvent<P> = {
  /** The payload's shape: rows read back from bus_conflated are parsed with it. */
  payload: z.ZodType<P>;
  /** One payload that says what `earlier` then `later` said (a subscriber applies only it). */
  merge: (earlier: P, later: P) => P;
  windowMs?: number;
  /**
   * Announcements a second on one channel (a decaying count) above which windows apply; below
   * it every announcement goes out at once. 0 (the default): windows always apply. A room of
   * four players (about 27 batches a second) then pays no window's wait, while a room of 1,000
   * gets one notification a window.
   */
  busyAbove?: number;
  /**
   * Socket writes a second (announcements a second × this node's sockets in the channel) above
   * which windows apply too, however few the announcements: each one costs every phone a frame.
   */
  busyWritesAbove?: number;
};

/** A kind's conflated event with its payload type erased, as the bus keeps it. */
export type Conflation = {
  windowMs: number;
  busyAbove: number;
  busyWritesAbove: number;
  merge: (earlier: unknown, later: unknown) => unknown;
};

/** Declares a conflated event for ChannelKind.conflate. */
export function conflated<P>(spec: ConflatedEvent<P>): Conflation {
  return {
    windowMs: spec.windowMs ?? DEFAULT_CONFLATION_WINDOW_MS,
    busyAbove: spec.busyAbove ?? 0,
    busyWritesAbove: spec.busyWritesAbove ?? Infinity,
    merge: (earlier, later) => spec.merge(spec.payload.parse(earlier), spec.payload.parse(later)),
  };
}
