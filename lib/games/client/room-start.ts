// Spreading a room's start: when a whole room starts tapping at once (the presenter says "go", a
// round starts), every phone's first batch would reach the node in the same moment, before any
// answer could carry a pace, and queue there for seconds. A phone that starts from idle spreads
// its first batch over the time the node needs to take one batch from every player in the room.
import { BATCH_INTERVAL_MS, MAX_PACE_MS, STARTING_BATCHES_PER_SECOND } from "./click-pace-limits";

/** A queue that sent nothing for this long starts from idle (and spreads its first batch). */
export const IDLE_AFTER_MS = 2000;

/**
 * How long the node needs to take one batch from each of `players` at its budget of
 * `batchesPerSecond` (the page renders the node's budget; the room's size is its presence count).
 * The budget counts no higher than the starting one here: a budget grown while the room was small
 * (or by a warm-up) overstates what a big room's first wave can take, since each of its batches
 * fans out to more phones, and a wave faster than the node queues every batch behind it.
 * A room of four gets about 36 ms, under the 150 ms floor: its first tap is not held back.
 */
export function roomStartWindowMs(players: number, batchesPerSecond: number): number {
  if (!(players > 0) || !(batchesPerSecond > 0)) return 0;
  return Math.min(MAX_PACE_MS, (1000 * players) / Math.min(batchesPerSecond, STARTING_BATCHES_PER_SECOND));
}

/** When, within the window, this phone sends its first batch: uniformly spread, never before the floor. */
export function roomStartDelayMs(windowMs: number, random: () => number = Math.random): number {
  return Math.max(BATCH_INTERVAL_MS, random() * windowMs);
}
