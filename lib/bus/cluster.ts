// Scale-out: with REDIS_URL set, this node joins the others through the Redis adapter, keeps a
// heartbeat so survivors notice it dying, and catches sockets up after a Redis outage — its own
// sockets when its link returns, and every other node's when it tells them it is back — and
// after a node died, whose last emits may never have been published.
import { z } from "zod";
import { log } from "@/lib/log";
import { startPeriodic } from "@/lib/runtime/periodic";
import { sweepAccess } from "./access-sweep";
import { catchUpAfterDeaths, catchUpFrom, catchUpOwnGap, markCutOff, startWatermark } from "./catch-up";
import { setBusClustered, type BusServer } from "./io";
import { startNodeRegistry, type NodeRegistry } from "./node-registry";
import { linkToRedis, type RedisClient } from "./redis-link";
import { listenForRevocations } from "./revoke";

export type ClusterOptions = { redisUrl: string; prefix: string };

/**
 * How long a revocation can miss a socket when Redis kept it from arriving: every node re-checks
 * its sockets' channels this often (a prepared query per socket and channel).
 */
const SWEEP_EVERY_MS = 3000;
/**
 * How long a starting node waits for its link before serving anyway. Until the link is up the
 * node emits to its own sockets only, so a commit it served then and a crash before its first
 * catch-up would never reach the others; with Redis answering, the link takes milliseconds.
 */
const LINK_WAIT_MS = 3000;

const notificationId = z.number().int().nonnegative();

/**
 * `linked`: resolves once the link is up, or after LINK_WAIT_MS; `leave`: on shutdown; `redis`:
 * the link's command client, for what else the app keeps in Redis (its shared rate limits).
 */
export type Membership = { linked: Promise<void>; leave: () => Promise<void>; redis: RedisClient };

export function joinCluster(io: BusServer, options: ClusterOptions): Membership {
  setBusClustered(true);
  // While this node's link was down the others missed what it committed: once caught up itself,
  // it tells them from where to catch up their own sockets.
  const announceRelinked = (since: number) => io.serverSideEmit("relinked", since);
  const stopWatermark = startWatermark(announceRelinked);
  let linkedNow: () => void = () => undefined;
  const linked = new Promise<void>((resolve) => {
    linkedNow = resolve;
    setTimeout(resolve, LINK_WAIT_MS).unref();
  });
  const link = linkToRedis(io, {
    url: options.redisUrl,
    prefix: options.prefix,
    onDown: markCutOff,
    onUp: () => {
      // In the registry before anything is published, so a node that dies at once is noticed
      // (the link comes up on a later event-loop turn, once `registry` below exists).
      registry.beatNow();
      linkedNow();
      void catchUpOwnGap(announceRelinked);
    },
  });
  io.on("relinked", (since) => {
    const parsed = notificationId.safeParse(since);
    if (!parsed.success) return log.warn({ since }, "ignored a malformed relinked message");
    catchUpFrom(parsed.data).catch((error: unknown) =>
      log.error({ err: error }, "catching up after another node's outage failed"),
    );
  });
  listenForRevocations(io);
  const stopSweep = startPeriodic({
    everyMs: SWEEP_EVERY_MS,
    failure: "access sweep failed",
    run: () => sweepAccess(io),
  });
  // The dead node's last commits may be stored but unpublished: every survivor replays the
  // recent past to its own sockets, each on finding the death itself (node-registry.ts).
  const registry: NodeRegistry = startNodeRegistry(link, options.prefix, catchUpAfterDeaths);
  return {
    linked,
    redis: link.client,
    leave: async () => {
      stopSweep();
      stopWatermark();
      await registry.leave();
      await link.close();
      setBusClustered(false);
    },
  };
}
