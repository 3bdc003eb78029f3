// What a crash scenario must end with: no acknowledged batch lost and none counted twice, every
// counted batch announced once, and every watcher holding every stored notification once.
import { expect } from "vitest";
import type { ScenarioResult } from "./scenario";

/** The ledger of the clickers against the database the crashes left. */
export function expectNoBatchLostOrDoubled({ stored, clickers, kills }: ScenarioResult): void {
  const acknowledged = new Map(clickers.flatMap((clicker) => [...clicker.acknowledged]));
  expect(kills.map((kill) => kill.missingAfterRestart), "batches acknowledged before a kill, missing after it").toEqual(kills.map(() => []));
  const counted = [...stored.batches.keys()];
  expect({
    notCounted: [...acknowledged.keys()].filter((batchId) => !stored.batches.has(batchId)),
    neverAcknowledged: counted.filter((batchId) => !acknowledged.has(batchId)),
    wrongCount: counted.filter((batchId) => acknowledged.has(batchId) && acknowledged.get(batchId) !== stored.batches.get(batchId)),
  }).toEqual({ notCounted: [], neverAcknowledged: [], wrongCount: [] });
  expect(stored.total).toBe([...acknowledged.values()].reduce((sum, count) => sum + count, 0));
  // Each counted batch announced exactly once: a crash neither drops nor repeats its notification.
  expect([...stored.announcedBatches].sort()).toEqual(counted.sort());
}

/** Every watcher, after its final reconnect, against the channel's stored notifications. */
export function expectEveryNotificationOnce({ stored, watchers, kills }: ScenarioResult): void {
  const ids = new Set(stored.notificationIds);
  for (const watcher of watchers) {
    const have = new Set(watcher.applied);
    const missing = stored.notificationIds.filter((id) => !have.has(id));
    // What a reader needs to tell why: when each missing one was committed, around the kills
    // and the watcher's reconnects.
    if (missing.length > 0) {
      console.error(`${watcher.name} misses ${JSON.stringify(missing.map((id) => stored.notifications.get(id)))}`);
      console.error(`kills ${JSON.stringify(kills.map(({ killedAt, restartedAt }) => ({ killedAt, restartedAt })))}\n${watcher.history.join("\n")}`);
    }
    expect({
      watcher: watcher.name,
      violations: watcher.violations,
      missing,
      unknown: watcher.applied.filter((id) => !ids.has(id)),
      appliedTwice: watcher.applied.length - have.size,
    }).toEqual({ watcher: watcher.name, violations: [], missing: [], unknown: [], appliedTwice: 0 });
  }
}

/** Strict rules (one node): and in id order. */
export function expectIdOrder({ watchers }: ScenarioResult): void {
  for (const watcher of watchers) expect({ watcher: watcher.name, inOrder: watcher.applied.every((id, index) => index === 0 || id > (watcher.applied[index - 1] ?? 0)) }).toEqual({ watcher: watcher.name, inOrder: true });
}

/** The kills really hit clients in flight: requests were retried and sockets reconnected. */
export function expectChaosHappened({ clickers, watchers, late, kills }: ScenarioResult, victimWatchers: (name: string) => boolean): void {
  expect(clickers.reduce((sum, clicker) => sum + clicker.retries, 0)).toBeGreaterThanOrEqual(kills.length);
  // The late watcher's replay from 0 took several acks, so `more` was followed under load.
  expect(late.pagesFollowed).toBeGreaterThanOrEqual(2);
  for (const watcher of watchers.filter((candidate) => victimWatchers(candidate.name))) expect(watcher.connects).toBeGreaterThan(1);
}

/** One line for the log: what the run did. */
export function summary({ stored, clickers, watchers, kills }: ScenarioResult): string {
  const retries = clickers.reduce((sum, clicker) => sum + clicker.retries, 0);
  const overlaps = watchers.reduce((sum, watcher) => sum + watcher.overlaps, 0);
  const duplicates = watchers.reduce((sum, watcher) => sum + watcher.duplicates, 0);
  const pages = watchers.reduce((sum, watcher) => sum + watcher.pagesFollowed, 0);
  return [
    `${kills.length} kills after ${kills.map((kill) => kill.delayMs).join("/")} ms`,
    `${stored.batches.size} batches (${retries} retried sends), total ${stored.total}`,
    `${stored.notificationIds.length} notifications, ${watchers.length} watchers (${pages} more pages followed, ${overlaps} paging overlaps, ${duplicates} duplicates dropped)`,
  ].join("; ");
}
