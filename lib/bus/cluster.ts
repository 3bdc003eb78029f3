// Scale-out: with REDIS_URL set, this node joins the others through the Redis adapter, keeps a
// heartbeat so survivors notice it dying, and catches its sockets up after a Redis outage.
import { log } from "@/lib/log";
import { catchUp, markCutOff, startWatermark } from "./catch-up";
import type { BusServer } from "./io";
import { startNodeRegistry } from "./node-registry";
import { linkToRedis } from "./redis-link";

export type ClusterOptions = { redisUrl: string; prefix: string };

/** Joins the cluster; returns a function that leaves it (on shutdown). */
export function joinCluster(io: BusServer, options: ClusterOptions): () => Promise<void> {
  const stopWatermark = startWatermark();
  const link = linkToRedis(io, {
    url: options.redisUrl,
    prefix: options.prefix,
    onDown: markCutOff,
    onUp: () => void catchUp().catch((error: unknown) => log.error({ err: error }, "catching up after the Redis outage failed")),
  });
  const stopRegistry = startNodeRegistry(link, options.prefix);
  return async () => {
    stopWatermark();
    await stopRegistry();
    await link.close();
  };
}
