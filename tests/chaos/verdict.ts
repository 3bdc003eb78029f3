// What a crash scenario must end with: no acknowledged batch lost and none counted twice, every
// count committed announced by the game's tallies and none announced that was not committed, and
// every watcher holding every stored notification once and ending on the database's counts.
import { expect } from "vitest";
import type { ScenarioResult } from "./scenario";
import { saysAtLeast, saysAtMost, type StoredTally } from "./stored";

/** The ledger of the clickers against the database the crashes left. */
export function expectNoBatchLostOrDoubled({ stored, clickers, kills }: ScenarioResult): void {
  const acknowledged = new Map(clickers.flatMap((clicker) => [...clicker.acknowledged]));
  expect(
    kills.map((kill) => kill.missingAfterRestart),
    "batches acknowledged before a kill, missing after it",
  ).toEqual(kills.map(() => []));
  const counted = [...stored.batches.keys()];
  expect({
    notCounted: [...acknowledged.keys()].filter((batchId) => !stored.batches.has(batchId)),
    neverAcknowledged: counted.filter((batchId) => !acknowledged.has(batchId)),
    wrongCount: counted.filter(
      (batchId) => acknowledged.has(batchId) && acknowledged.get(batchId) !== stored.batches.get(batchId),
    ),
  }).toEqual({ notCounted: [], neverAcknowledged: [], wrongCount: [] });
  expect(stored.total).toBe([...acknowledged.values()].reduce((sum, count) => sum + count, 0));
}

/** The database's counts as a TallyFold views them: where every client must end. */
const databaseView = ({ total, members }: ScenarioResult["stored"]) => ({
  total,
  clicks: [...members].sort(([a], [b]) => a - b),
});

/**
 * Nothing committed is left unannounced, the dead node's waiting tallies included. Counts are
 * absolute, so clicks after a restart would cover a waiting tally that was never merged: for each
 * kill, some tally stored after it must say at least what the tallies it left waiting said (the
 * sweep's merge, or the next flush, which takes every waiting row of the channel). And in the end
 * the stored tallies, folded as a client folds them (by max: docs/bus.md, "Conflated events"),
 * are the game's total and every member's count; the scenario waited for bus_conflated to empty.
 */
export function expectEveryCountAnnounced({ stored, kills }: ScenarioResult): void {
  const unannounced = kills.flatMap(({ leftWaiting: { rows, said, after } }, index) =>
    rows > 0 && !stored.tallies.some((tally) => tally.id > after && saysAtLeast(tally.payload, said))
      ? [`kill ${index + 1}: ${rows} waiting, ${JSON.stringify(said.view())}`]
      : [],
  );
  expect(unannounced, "tallies a kill left waiting, never announced").toEqual([]);
  expect(stored.folded.view(), "the stored tallies, folded, against games.total and members.clicks").toEqual(
    databaseView(stored),
  );
}

/**
 * Nothing announced that was not committed: every tally's total is one the game had (when the
 * database tells the commit order), never above the final total, and every count it lists is one
 * its player had. Then the order, on one node (`strict`): tally totals never go down in id order
 * and the newest holds the final total, except for the sweep's merge of what a kill left waiting,
 * which may be stored after the restarted node's newer tallies (its rows were younger than the
 * sweep's 1 s when the node came back, and no flush took them first); such a merge says nothing
 * beyond those rows. Across nodes each node keeps its own windows, so a node's merge can be
 * stored after another node's newer tally; the fold (expectEveryCountAnnounced) covers both.
 */
export function expectTalliesTrue({ stored, kills }: ScenarioResult, order: "strict" | "cluster"): void {
  const wrong = stored.tallies.flatMap(({ id, payload }) => {
    const problems: string[] = [];
    if (payload.total > stored.total) problems.push(`total ${payload.total} above the game's ${stored.total}`);
    if (stored.totalsHad && !stored.totalsHad.has(payload.total))
      problems.push(`total ${payload.total} the game never had`);
    for (const { id: player, clicks } of payload.contributions) {
      if (!stored.countsHad.get(player)?.has(clicks))
        problems.push(`player ${player} at ${clicks}, a count they never had`);
    }
    return problems.map((problem) => `tally ${id}: ${problem}`);
  });
  expect(wrong, "tallies announcing what was never committed").toEqual([]);
  if (order === "cluster") return;
  const sweptLate = (tally: StoredTally) =>
    kills.some(
      ({ leftWaiting: { rows, said, after } }) => rows > 0 && tally.id > after && saysAtMost(tally.payload, said),
    );
  const ordered = stored.tallies.filter((tally) => !sweptLate(tally));
  const decreases = ordered.flatMap((tally, index) => {
    const before = ordered[index - 1];
    return before && tally.payload.total < before.payload.total
      ? [`tally ${tally.id} (${tally.payload.total}) after ${before.id} (${before.payload.total})`]
      : [];
  });
  expect(decreases, "tally totals going down in id order").toEqual([]);
  expect(ordered.at(-1)?.payload.total, "the newest tally's total").toBe(stored.total);
}

/** Every watcher, resumed from its cursor after the tallies were merged, ends on the database's counts. */
export function expectWatchersEndOnDatabase({ stored, watchers }: ScenarioResult): void {
  for (const watcher of watchers)
    expect({ watcher: watcher.name, ...watcher.tally.view() }).toEqual({
      watcher: watcher.name,
      ...databaseView(stored),
    });
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
      console.error(
        `kills ${JSON.stringify(kills.map(({ killedAt, restartedAt }) => ({ killedAt, restartedAt })))}\n${watcher.history.join("\n")}`,
      );
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
  for (const watcher of watchers)
    expect({
      watcher: watcher.name,
      inOrder: watcher.applied.every((id, index) => index === 0 || id > (watcher.applied[index - 1] ?? 0)),
    }).toEqual({ watcher: watcher.name, inOrder: true });
}

/** The kills really hit clients in flight: requests were retried and sockets reconnected. */
export function expectChaosHappened(
  { clickers, watchers, late, kills }: ScenarioResult,
  victimWatchers: (name: string) => boolean,
): void {
  expect(clickers.reduce((sum, clicker) => sum + clicker.retries, 0)).toBeGreaterThanOrEqual(kills.length);
  // The late watcher's replay from 0 took several acks, so `more` was followed under load.
  if (late) expect(late.pagesFollowed).toBeGreaterThanOrEqual(2);
  for (const watcher of watchers.filter((candidate) => victimWatchers(candidate.name)))
    expect(watcher.connects).toBeGreaterThan(1);
}

/** One line for the log: what the run did. */
/**
 * A kill landed inside a window: the dead node left tallies waiting that only a sweep could merge,
 * so expectEveryCountAnnounced judged the sweep and not only the flush.
 */
export function expectKillLeftTalliesWaiting({ kills }: ScenarioResult): void {
  expect(
    kills.some((kill) => kill.leftWaiting.rows > 0),
    "some kill left tallies waiting in bus_conflated",
  ).toBe(true);
}

export function summary({ stored, clickers, watchers, kills }: ScenarioResult): string {
  const retries = clickers.reduce((sum, clicker) => sum + clicker.retries, 0);
  const overlaps = watchers.reduce((sum, watcher) => sum + watcher.overlaps, 0);
  const duplicates = watchers.reduce((sum, watcher) => sum + watcher.duplicates, 0);
  const pages = watchers.reduce((sum, watcher) => sum + watcher.pagesFollowed, 0);
  return [
    `${kills.length} kills after ${kills.map((kill) => kill.delayMs).join("/")} ms`,
    `${stored.batches.size} batches (${retries} retried sends), total ${stored.total}`,
    `${stored.notificationIds.length} notifications (${stored.tallies.length} tallies; ${kills.map((kill) => kill.leftWaiting.rows).join("/")} waiting at the kills)`,
    `${watchers.length} watchers (${pages} more pages followed, ${overlaps} paging overlaps, ${duplicates} duplicates dropped)`,
  ].join("; ");
}

/** Every check of a one-node crash run, in the order a failure is easiest to read. */
export function expectOneNodeVerdict(result: ScenarioResult): void {
  expectNoBatchLostOrDoubled(result);
  expectEveryCountAnnounced(result);
  expectTalliesTrue(result, "strict");
  expectEveryNotificationOnce(result);
  expectIdOrder(result);
  expectWatchersEndOnDatabase(result);
  expectChaosHappened(result, () => true);
}
