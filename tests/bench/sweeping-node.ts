// The `sweep` scenario's Clickbus: the access sweep runs only in cluster mode, so the scenario gets
// a node of its own with REDIS_URL (a prefix of its own, so no other node is its peer), its own
// database (and, as every Clickbus target, its metrics listener), rather than making the other scenarios' node a clustered one.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import type { TargetOptions } from "./baseline-target";
import { benchDatabase } from "./bench-database";
import { startClickbus } from "./clickbus-target";
import type { Target } from "./target";

export type SweepingNode = { target: Target; metricsUrl: string };

export async function onSweepingNode<T>(
  options: TargetOptions,
  where: { redisUrl: string; database: string | undefined },
  work: (node: SweepingNode) => Promise<T>,
): Promise<T> {
  const database = await benchDatabase(where.database);
  try {
    const target = await startClickbus({
      ...options,
      // The room's guests are the sweep's users; the bench's player pool is not needed.
      players: 1,
      scratchDir: mkdtempSync(join(options.scratchDir, "sweeping-")),
      env: {
        ...database.env,
        REDIS_URL: where.redisUrl,
        REDIS_PREFIX: `bench_sweep_${randomBytes(4).toString("hex")}`,
      },
    });
    try {
      if (!target.metricsUrl) throw new Error("the sweeping node has no metrics listener");
      return await work({ target, metricsUrl: target.metricsUrl });
    } finally {
      await target.stop();
    }
  } finally {
    await database.drop();
  }
}
