// Bounds the game's tables that only grow: click-batch ids are kept for the idempotency window
// (a retry older than that would count again; clients retry within seconds), and each game keeps
// the newest activity entries, far more than its feed shows.
import { and, eq, lt } from "drizzle-orm";
import { z } from "zod";
import { tryLockUntilCommit, type LockKey } from "@/lib/sql/advisory-lock";
import { changedRows } from "@/lib/sql/changed-rows";
import { engine, transaction } from "@/db/client";
import { oldestKeptPerGroup } from "@/lib/sql/newest-per-group";
import { activities, clickBatches } from "@/db/tables";
import { log } from "@/lib/log";
import { startPeriodic } from "@/lib/runtime/periodic";

/** How long a batch id is remembered: a batch retried within this counts once. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Activity entries kept per game (the feed shows 20). */
export const ACTIVITY_KEPT_PER_GAME = 200;
const SWEEP_EVERY_MS = 10 * 60 * 1000;
/** The advisory lock ("clic", "hist" in ASCII) one PostgreSQL node holds while it prunes. */
export const HISTORY_LOCK: LockKey = [0x636c6963, 0x68697374];

export type HistoryPruned = { batches: number; activities: number };

/** Prunes in one transaction; nothing (zeros) when another node is pruning right now. */
export async function pruneGameHistory(now = Date.now()): Promise<HistoryPruned> {
  return transaction(async (tx) => {
    // Every node runs the timer; on PostgreSQL one at a time does the work.
    if (!(await tryLockUntilCommit(tx, HISTORY_LOCK, engine().dialect))) return { batches: 0, activities: 0 };
    const batches = changedRows.parse(
      await tx.delete(clickBatches).where(lt(clickBatches.createdAt, new Date(now - IDEMPOTENCY_WINDOW_MS))),
    );
    let removed = 0;
    const crowded = await oldestKeptPerGroup(
      tx,
      activities,
      { group: activities.gameId, id: activities.id },
      z.number(),
      ACTIVITY_KEPT_PER_GAME,
    );
    for (const { group: gameId, oldestKept } of crowded) {
      removed += changedRows.parse(
        await tx.delete(activities).where(and(eq(activities.gameId, gameId), lt(activities.id, oldestKept))),
      );
    }
    return { batches, activities: removed };
  });
}

/** Sweeps now and every ten minutes; returns a function that stops it. */
export function startHistoryPruning(): () => void {
  return startPeriodic({
    everyMs: SWEEP_EVERY_MS,
    runNow: true,
    failure: "pruning game history failed",
    run: async () => {
      const pruned = await pruneGameHistory();
      if (pruned.batches + pruned.activities > 0) log.info(pruned, "pruned game history");
    },
  });
}
