// The `sweep` scenario's Clickbus: the access sweep runs only in cluster mode, so the scenario gets
// a node of its own with REDIS_URL (a prefix of its own, so no other node is its peer), its own
// database and its metrics listener, rather than making the other scenarios' node a clustered one.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../support/server";
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
    const metricsPort = await freePort();
    const target = await startClickbus({
      ...options,
      // The room's guests are the sweep's users; the bench's player pool is not needed.
      players: 1,
      scratchDir: mkdtempSync(join(options.scratchDir, "sweeping-")),
      env: {
        ...database.env,
        REDIS_URL: where.redisUrl,
        REDIS_PREFIX: `bench_sweep_${randomBytes(4).toString("hex")}`,
        METRICS_PORT: String(metricsPort),
        METRICS_HOST: "127.0.0.1",
      },
    });
    try {
      return await work({ target, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` });
    } finally {
      await target.stop();
    }
  } finally {
    await database.drop();
  }
}
