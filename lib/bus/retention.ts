// Background pruning of stored notifications, bounded by age and count in all, and by count per
// channel (so one busy or flooded channel cannot evict every other channel's history). Global
// pruning removes a prefix of ids ("everything at or below min(id) - 1 may be gone"); per-channel
// pruning records its channel's floor in bus_channel_floors. Replay's `reset` reads both.
import { and, eq, lt, lte, max, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { oldestKeptPerGroup } from "@/db/newest-per-group";
import { busChannelFloors, busNotifications } from "@/db/tables";
import { REPLAY_LIMIT } from "./store";

/** `maxPerChannel`: more would never be replayed anyway (a cursor that far behind gets `reset`). */
export type RetentionPolicy = { maxAgeMs: number; maxCount: number; maxPerChannel: number };
export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeMs: 24 * 60 * 60 * 1000, maxCount: 100_000, maxPerChannel: REPLAY_LIMIT };

/** Deletes what falls outside the policy; returns how many notifications were removed. */
export function pruneNotifications(db: Db, policy: RetentionPolicy = DEFAULT_RETENTION, now = Date.now()): number {
  const byAge = db
    .select({ id: max(busNotifications.id) })
    .from(busNotifications)
    .where(lt(busNotifications.createdAt, new Date(now - policy.maxAgeMs)))
    .get()?.id;
  const newest = db.get<{ id: number | null }>(sql`select max(id) as id from bus_notifications`)?.id ?? 0;
  const cutoff = Math.max(byAge ?? 0, newest - policy.maxCount);
  const removed = cutoff > 0 ? db.delete(busNotifications).where(lte(busNotifications.id, cutoff)).run().changes : 0;
  return removed + prunePerChannel(db, policy.maxPerChannel);
}

/** Trims every channel to its newest `keep`, raising its floor; returns how many were removed. */
function prunePerChannel(db: Db, keep: number): number {
  let removed = 0;
  const crowded = oldestKeptPerGroup(db, busNotifications, { group: busNotifications.channel, id: busNotifications.id }, z.string(), keep);
  for (const { group: channel, oldestKept } of crowded) {
    const floor = oldestKept - 1;
    db.transaction((tx) => {
      removed += tx.delete(busNotifications).where(and(eq(busNotifications.channel, channel), lte(busNotifications.id, floor))).run().changes;
      tx.insert(busChannelFloors).values({ channel, prunedUpTo: floor }).onConflictDoUpdate({ target: busChannelFloors.channel, set: { prunedUpTo: sql`max(${busChannelFloors.prunedUpTo}, excluded.pruned_up_to)` } }).run();
    });
  }
  // Floors below the global prefix say nothing more than the prefix does.
  const oldest = db.select({ id: sql<number | null>`min(${busNotifications.id})` }).from(busNotifications).get()?.id;
  if (oldest != null) db.delete(busChannelFloors).where(lt(busChannelFloors.prunedUpTo, oldest)).run();
  return removed;
}
