// The sweep of conflated windows nobody will flush: their node died (or its flush failed) with
// announcements still waiting in bus_conflated. Every node runs it, at start and then every few
// seconds; a flush deletes what it merges in its own transaction, so two sweeps never announce
// one thing twice.
import { conflationOf } from "./channel-kinds";
import type { Conflation } from "./conflated-event";
import { forgetQuietWindows, staleConflated } from "./conflation";
import { flushConflatedNow } from "./transact";

export const SWEEP_CONFLATED_EVERY_MS = 2000;
/** Older than this, a waiting announcement's own node would have flushed it (windows are ~100 ms). */
const STALE_AFTER_MS = 1000;

/** For an event its kind no longer conflates: the latest payload stands for them all. */
const latestWins: Conflation = { windowMs: 0, busyAbove: 0, busyWritesAbove: 0, merge: (_earlier, later) => later };

export async function sweepConflated(): Promise<number> {
  forgetQuietWindows();
  const stale = await staleConflated(STALE_AFTER_MS);
  for (const { channel, event } of stale)
    await flushConflatedNow(channel, event, conflationOf(channel, event) ?? latestWins);
  return stale.length;
}
