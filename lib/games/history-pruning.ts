// Bounds the game's tables that only grow: click-batch ids are kept for the idempotency window
// (a retry older than that would count again; clients retry within seconds), and each game keeps
// the newest activity entries, far more than its feed shows.
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { db } from "@/db/client";
import { activities, clickBatches } from "@/db/schema";
import { log } from "@/lib/log";

/** How long a batch id is remembered: a batch retried within this counts once. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Activity entries kept per game (the feed shows 20). */
export const ACTIVITY_KEPT_PER_GAME = 200;
const SWEEP_EVERY_MS = 10 * 60 * 1000;

export type HistoryPruned = { batches: number; activities: number };

export function pruneGameHistory(database: Db = db(), now = Date.now()): HistoryPruned {
  const batches = database.delete(clickBatches).where(lt(clickBatches.createdAt, new Date(now - IDEMPOTENCY_WINDOW_MS))).run().changes;
  let removed = 0;
  const crowded = database
    .select({ gameId: activities.gameId })
    .from(activities)
    .groupBy(activities.gameId)
    .having(sql`count(*) > ${ACTIVITY_KEPT_PER_GAME}`)
    .all();
  for (const { gameId } of crowded) {
    const oldestKept = database.select({ id: activities.id }).from(activities).where(eq(activities.gameId, gameId)).orderBy(desc(activities.id)).limit(1).offset(ACTIVITY_KEPT_PER_GAME - 1).get();
    if (oldestKept) removed += database.delete(activities).where(and(eq(activities.gameId, gameId), lt(activities.id, oldestKept.id))).run().changes;
  }
  return { batches, activities: removed };
}

/** Sweeps now and every ten minutes; returns a function that stops it. */
export function startHistoryPruning(): () => void {
  const sweep = () => {
    try {
      const pruned = pruneGameHistory();
      if (pruned.batches + pruned.activities > 0) log.info(pruned, "pruned game history");
    } catch (error) {
      // Another node holding the write lock, say: the next sweep tries again.
      log.warn({ err: error }, "pruning game history failed");
    }
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
