// Warm-up before measuring: the first requests of each path load Next's route and page modules and
// run cold (unoptimized) code, which would show up as outliers in the first measured phase.
// Both targets get the same warm-up: `count` click batches per path from 8 concurrent clients.
import { PlayerPool } from "./pacing";
import type { ClickVia, Target } from "./target";
import { nextBatchId } from "./batch-ids";
import { mapLimit } from "./map-limit";

const CONCURRENCY = 8;

export async function warmUp(target: Target, paths: readonly ClickVia[], count: number): Promise<void> {
  const pool = new PlayerPool(target);
  for (const via of paths) {
    await mapLimit(Array.from({ length: count }), CONCURRENCY, async () => {
      const outcome = await target.click(await pool.next(), via, { count: 1, batchId: nextBatchId() });
      if (outcome.kind === "rejected")
        throw new Error(`warm-up click on ${target.name} via ${via} was refused: ${outcome.code}`);
    });
  }
}
