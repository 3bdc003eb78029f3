// Conflated events: a kind may declare an event whose announcements on one channel within a
// window are merged (by the kind) into one stored notification. The first after a quiet window
// is stored and emitted like any other (leading edge); those committed inside the window wait in
// bus_conflated, in their own transactions, and one flush merges them into one notification when
// the window closes (trailing edge). Windows are per channel and per node. What a kind declares
// is conflated-event.ts.
import { and, asc, eq, lt } from "drizzle-orm";
import type { SqlHandle } from "@/lib/sql/sql-handle";
import { busDb } from "./bus-database";
import type { Conflation } from "./conflated-event";
import { busConflated } from "./tables";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/runtime/process-singleton";

/** A channel's window for one event on this node. */
type Window = {
  lastEmitAt: number;
  /** Announcements a second, decaying with a one-second time constant. */
  rate: number;
  ratedAt: number;
  windowMs: number;
  timer: NodeJS.Timeout | undefined;
  flushing: boolean;
  /** Announcements were deferred while a flush ran: flush again one window after it. */
  again: boolean;
};

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "bus:conflation-windows": Map<string, Window>;
  }
}

const windows = () => processSingleton("bus:conflation-windows", () => new Map<string, Window>());

const keyOf = (channel: string, event: string) => `${channel}\u0000${event}`;

/** A window just opened at `now`: one announcement so far, nothing waiting. */
function freshWindow(conflation: Conflation, now: number): Window {
  return {
    lastEmitAt: now,
    rate: 1,
    ratedAt: now,
    windowMs: conflation.windowMs,
    timer: undefined,
    flushing: false,
    again: false,
  };
}

/**
 * Whether an announcement of `event` on `channel` opens a window (store and emit it now) rather
 * than falling inside one (defer it). Called inside the announcing transaction; a window opened
 * by a transaction that then rolls back stays open, which only delays what follows it.
 */
export function opensWindow(
  channel: string,
  event: string,
  conflation: Conflation,
  sockets: number,
  now = performance.now(),
): boolean {
  const key = keyOf(channel, event);
  const window = windows().get(key);
  if (!window) {
    windows().set(key, freshWindow(conflation, now));
    return true;
  }
  window.rate = window.rate * Math.exp(-(now - window.ratedAt) / 1000) + 1;
  window.ratedAt = now;
  // Waiting announcements go first, busy or not: a later one must not overtake them.
  if (window.timer !== undefined || window.flushing) return false;
  const busy = window.rate > conflation.busyAbove || window.rate * sockets > conflation.busyWritesAbove;
  if (busy && now - window.lastEmitAt < window.windowMs) return false;
  window.lastEmitAt = now;
  return true;
}

export type DeferredAnnouncement = { channel: string; event: string; payload: unknown };

/** Keeps announcements that fell inside their window, in the announcing transaction. */
export async function deferAnnouncements(tx: SqlHandle, deferred: readonly DeferredAnnouncement[]): Promise<void> {
  if (deferred.length === 0) return;
  await tx
    .insert(busConflated)
    .values(deferred.map(({ channel, event, payload }) => ({ channel, event, payload: JSON.stringify(payload) })));
}

/**
 * How a flush stores its merged notification (transact.ts's `storeMerged`, handed in so that the
 * import goes one way): `merge` runs inside the transaction and returns the payload, or undefined
 * when there was nothing to merge.
 */
export type StoreMerged = (channel: string, event: string, merge: (tx: SqlHandle) => Promise<unknown>) => Promise<void>;

/** After the commit of a deferring transaction: make sure its window will be flushed when it closes. */
export function scheduleFlush(channel: string, event: string, conflation: Conflation, store: StoreMerged): void {
  const key = keyOf(channel, event);
  const now = performance.now();
  const window = windows().get(key) ?? freshWindow(conflation, now);
  windows().set(key, window);
  if (window.flushing) {
    window.again = true;
    return;
  }
  if (window.timer !== undefined) return;
  const wait = Math.max(0, window.lastEmitAt + window.windowMs - performance.now());
  window.timer = setTimeout(() => void flushWindow(key, channel, event, conflation, store), wait);
}

async function flushWindow(
  key: string,
  channel: string,
  event: string,
  conflation: Conflation,
  store: StoreMerged,
): Promise<void> {
  const window = windows().get(key);
  if (!window) return;
  window.timer = undefined;
  window.flushing = true;
  try {
    await flushConflated(channel, event, conflation, store);
  } catch (error) {
    // The rows stay in bus_conflated: the sweep (or the next flush of this window) merges them.
    log.warn({ err: error, channel, event }, "flushing a conflated window failed");
  } finally {
    window.flushing = false;
    window.lastEmitAt = performance.now();
    if (window.again) {
      window.again = false;
      scheduleFlush(channel, event, conflation, store);
    }
  }
}

/**
 * Merges every waiting announcement of `event` on `channel` into one stored notification, in one
 * transaction that also deletes them, so each is announced exactly once whichever node flushes.
 */
export async function flushConflated(
  channel: string,
  event: string,
  conflation: Conflation,
  store: StoreMerged,
): Promise<void> {
  await store(channel, event, async (tx) => {
    const rows = await tx
      .delete(busConflated)
      .where(and(eq(busConflated.channel, channel), eq(busConflated.event, event)))
      .returning({ id: busConflated.id, payload: busConflated.payload });
    // RETURNING's order is not promised; ids follow the announcing transactions' order.
    rows.sort((a, b) => a.id - b.id);
    let merged: unknown = undefined;
    for (const row of rows) {
      const payload: unknown = JSON.parse(row.payload);
      merged = merged === undefined ? payload : conflation.merge(merged, payload);
    }
    return merged;
  });
}

/**
 * Announcements left waiting longer than `olderThanMs` (their node died, or its flush failed),
 * by channel and event: any node's sweep merges them.
 */
export async function staleConflated(
  olderThanMs: number,
  now = new Date(),
): Promise<{ channel: string; event: string }[]> {
  return busDb()
    .selectDistinct({ channel: busConflated.channel, event: busConflated.event })
    .from(busConflated)
    .where(lt(busConflated.createdAt, new Date(now.getTime() - olderThanMs)))
    .orderBy(asc(busConflated.channel));
}

/** Forgets windows that closed long ago, so a node that saw many channels keeps no state for them. */
export function forgetQuietWindows(now = performance.now()): void {
  for (const [key, window] of windows()) {
    if (window.timer === undefined && !window.flushing && now - window.lastEmitAt > 10 * window.windowMs)
      windows().delete(key);
  }
}
