// Background pruning of stored notifications, bounded by age and by count. Pruning always
// removes a prefix of ids, so "everything at or below min(id) - 1 is gone" stays true for replay.
import { lt, lte, max, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { busNotifications } from "@/db/schema";

export type RetentionPolicy = { maxAgeMs: number; maxCount: number };
export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeMs: 24 * 60 * 60 * 1000, maxCount: 100_000 };

/** Deletes what falls outside the policy; returns how many notifications were removed. */
export function pruneNotifications(db: Db, policy: RetentionPolicy = DEFAULT_RETENTION, now = Date.now()): number {
  const byAge = db
    .select({ id: max(busNotifications.id) })
    .from(busNotifications)
    .where(lt(busNotifications.createdAt, new Date(now - policy.maxAgeMs)))
    .get()?.id;
  const newest = db.get<{ id: number | null }>(sql`select max(id) as id from bus_notifications`)?.id ?? 0;
  const cutoff = Math.max(byAge ?? 0, newest - policy.maxCount);
  if (cutoff <= 0) return 0;
  return db.delete(busNotifications).where(lte(busNotifications.id, cutoff)).run().changes;
}
