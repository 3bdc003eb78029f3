// Scale-out: with REDIS_URL set, this node joins the others through the Redis adapter, keeps a
// heartbeat so survivors notice it dying, and catches sockets up after a Redis outage — its own
// sockets when its link returns, and every other node's when it tells them it is back.
import { z } from "zod";
import { log } from "@/lib/log";
import { sweepAccess } from "./access-sweep";
import { catchUpFrom, catchUpOwnGap, markCutOff, startWatermark } from "./catch-up";
import type { BusServer } from "./io";
import { startNodeRegistry } from "./node-registry";
import { linkToRedis } from "./redis-link";

export type ClusterOptions = { redisUrl: string; prefix: string };

/**
 * How long a revocation can miss a socket when Redis kept it from arriving: every node re-checks
 * its sockets' channels this often (a prepared query per socket and channel).
 */
const SWEEP_EVERY_MS = 3000;

const notificationId = z.number().int().nonnegative();

/** Joins the cluster; returns a function that leaves it (on shutdown). */
export function joinCluster(io: BusServer, options: ClusterOptions): () => Promise<void> {
  // While this node's link was down the others missed what it committed: once caught up itself,
  // it tells them from where to catch up their own sockets.
  const announceRelinked = (since: number) => io.serverSideEmit("relinked", since);
  const stopWatermark = startWatermark(announceRelinked);
  const link = linkToRedis(io, {
    url: options.redisUrl,
    prefix: options.prefix,
    onDown: markCutOff,
    onUp: () => void catchUpOwnGap(announceRelinked),
  });
  io.on("relinked", (since) => {
    const parsed = notificationId.safeParse(since);
    if (!parsed.success) return log.warn({ since }, "ignored a malformed relinked message");
    catchUpFrom(parsed.data).catch((error: unknown) => log.error({ err: error }, "catching up after another node's outage failed"));
  });
  const sweep = setInterval(() => {
    try {
      sweepAccess(io);
    } catch (error) {
      log.warn({ err: error }, "access sweep failed");
    }
  }, SWEEP_EVERY_MS);
  sweep.unref();
  const stopRegistry = startNodeRegistry(link, options.prefix);
  return async () => {
    clearInterval(sweep);
    stopWatermark();
    await stopRegistry();
    await link.close();
  };
}
