// Background pruning of stored notifications, bounded by age and count in all, and by count per
// channel (so one busy or flooded channel cannot evict every other channel's history). Global
// pruning removes a prefix of ids ("everything at or below min(id) - 1 may be gone"); per-channel
// pruning records its channel's floor in bus_channel_floors. Replay's `reset` reads both.
import { and, eq, lt, lte, max, min, ne, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import { tryLockUntilCommit, type LockKey } from "@/lib/sql/advisory-lock";
import { changedRows } from "@/lib/sql/changed-rows";
import { oldestKeptPerGroup } from "@/lib/sql/newest-per-group";
import { busDatabase, busDb } from "./bus-database";
import { busChannelFloors, busNotifications } from "./tables";
import { REMOVED_UP_TO, REPLAY_LIMIT } from "./store";

/** `maxPerChannel`: more would never be replayed anyway (a cursor that far behind gets `reset`). */
export type RetentionPolicy = { maxAgeMs: number; maxCount: number; maxPerChannel: number };
export const DEFAULT_RETENTION: RetentionPolicy = {
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxCount: 100_000,
  maxPerChannel: REPLAY_LIMIT,
};
/** The advisory lock ("clic", "prun" in ASCII) one PostgreSQL node holds while it prunes. */
export const PRUNE_LOCK: LockKey = [0x636c6963, 0x7072756e];

/**
 * Deletes what falls outside the policy, in one transaction; returns how many notifications were
 * removed. On PostgreSQL only one node prunes at a time: the others find the lock taken and skip
 * this round (0), as every node runs this timer.
 */
export async function pruneNotifications(
  policy: RetentionPolicy = DEFAULT_RETENTION,
  now = Date.now(),
): Promise<number> {
  const database = busDatabase();
  return database.transaction(async (tx) => {
    if (!(await tryLockUntilCommit(tx, PRUNE_LOCK, database.dialect()))) return 0;
    return (await pruneByAgeAndCount(policy, now)) + (await prunePerChannel(policy.maxPerChannel));
  });
}

/** The larger of two values: SQLite's scalar max() is PostgreSQL's greatest(). */
function greater(a: AnyPgColumn | SQL, b: SQL): SQL<number> {
  return busDatabase().dialect() === "postgres" ? sql<number>`greatest(${a}, ${b})` : sql<number>`max(${a}, ${b})`;
}

/** Removes a prefix of ids (too old, or beyond maxCount), recording the highest id removed. */
async function pruneByAgeAndCount(policy: RetentionPolicy, now: number): Promise<number> {
  const [byAge] = await busDb()
    .select({ id: max(busNotifications.id) })
    .from(busNotifications)
    .where(lt(busNotifications.createdAt, new Date(now - policy.maxAgeMs)));
  const [newest] = await busDb()
    .select({ id: max(busNotifications.id) })
    .from(busNotifications);
  const cutoff = Math.max(byAge?.id ?? 0, (newest?.id ?? 0) - policy.maxCount);
  if (cutoff <= 0) return 0;
  const [highest] = await busDb()
    .select({ id: max(busNotifications.id) })
    .from(busNotifications)
    .where(lte(busNotifications.id, cutoff));
  if (highest?.id == null) return 0;
  // Counted, not RETURNING: a prune can remove up to maxCount rows at once.
  const removed = changedRows.parse(await busDb().delete(busNotifications).where(lte(busNotifications.id, cutoff)));
  // Kept for the latest id on PostgreSQL once the table is emptied (store.ts, REMOVED_UP_TO).
  await raiseFloor(REMOVED_UP_TO, highest.id);
  return removed;
}

/** Sets a floor row to `upTo` unless it is already higher. */
async function raiseFloor(channel: string, upTo: number): Promise<void> {
  await busDb()
    .insert(busChannelFloors)
    .values({ channel, prunedUpTo: upTo })
    .onConflictDoUpdate({
      target: busChannelFloors.channel,
      set: { prunedUpTo: greater(busChannelFloors.prunedUpTo, sql`excluded.pruned_up_to`) },
    });
}

/** Trims every channel to its newest `keep`, raising its floor; returns how many were removed. */
async function prunePerChannel(keep: number): Promise<number> {
  let removed = 0;
  const crowded = await oldestKeptPerGroup(
    busDb(),
    busNotifications,
    { group: busNotifications.channel, id: busNotifications.id },
    z.string(),
    keep,
  );
  for (const { group: channel, oldestKept } of crowded) {
    const floor = oldestKept - 1;
    removed += changedRows.parse(
      await busDb()
        .delete(busNotifications)
        .where(and(eq(busNotifications.channel, channel), lte(busNotifications.id, floor))),
    );
    await raiseFloor(channel, floor);
  }
  // Floors below the global prefix say nothing more than the prefix does (the reserved row stays).
  const [oldest] = await busDb()
    .select({ id: min(busNotifications.id) })
    .from(busNotifications);
  if (oldest?.id != null)
    await busDb()
      .delete(busChannelFloors)
      .where(and(lt(busChannelFloors.prunedUpTo, oldest.id), ne(busChannelFloors.channel, REMOVED_UP_TO)));
  return removed;
}
