// Which nodes are alive: each node refreshes its own entry in a Redis sorted set every
// second. When an entry stops being refreshed (the node was killed), the survivors recompute
// presence for their rooms, since nobody announced that node's sockets leaving, and each of
// them catches its sockets up: the dead node's last emits may never have been published. The
// survivor that removes the stale entry marks it dead in the same transaction, so every node
// tells a death from a clean leave by itself, even when that survivor dies a moment later.
import { randomUUID } from "node:crypto";
import { log } from "@/lib/log";
import { refreshLocalPresence } from "./presence";
import type { RedisLink } from "./redis-link";

const BEAT_EVERY_MS = 1000;
/** How long a death mark lasts: far longer than the one beat every survivor needs to see it. */
const DEATH_MARK_MS = 60_000;
/**
 * A node silent for this long is gone, so presence drops a dead node's sockets within about
 * TTL + one beat. A false alarm (a node stalled that long) costs only one extra refresh.
 */
const NODE_TTL_MS = 3000;

export type NodeRegistry = {
  /** Beats now instead of at the next tick (the link just came up: be known before serving). */
  beatNow: () => void;
  /** Leaves at once, so the others refresh presence without waiting for the TTL. */
  leave: () => Promise<void>;
};

/** `onNodesDied(count)`: `count` nodes this node knew are gone and were marked dead (not nodes that left). */
export function startNodeRegistry(link: RedisLink, prefix: string, onNodesDied: (count: number) => void): NodeRegistry {
  const key = `${prefix}:nodes`;
  const deathMark = (node: string) => `${prefix}:died:${node}`;
  const nodeId = randomUUID();
  let known = new Set<string>();
  let refreshPending = false;

  const beat = async () => {
    if (!link.isUp()) return;
    const now = Date.now();
    await link.client.zAdd(key, { score: now, value: nodeId });
    // A node that leaves removes its own entry; one that expired died. Whoever removes it marks
    // it dead in the same MULTI, so the entry is never gone without its mark.
    const expired = await link.client.zRangeByScore(key, "-inf", now - NODE_TTL_MS);
    if (expired.length > 0) {
      const removal = link.client.multi().zRem(key, expired);
      for (const node of expired) removal.set(deathMark(node), "1", { PX: DEATH_MARK_MS });
      const [removed] = await removal.exec();
      if (Number(removed) > 0)
        log.warn({ nodes: Number(removed) }, "nodes died without leaving; catching up every node's sockets");
    }
    const alive = new Set(await link.client.zRangeByScore(key, now - NODE_TTL_MS, "+inf"));
    const gone = [...known].filter((node) => !alive.has(node));
    known = alive;
    if (gone.length > 0) {
      const marks = await link.client.mGet(gone.map(deathMark));
      const died = marks.filter((mark) => mark !== null).length;
      if (died > 0) onNodesDied(died);
      log.info({ gone: gone.length }, "nodes left the cluster; refreshing presence");
      refreshPending = true;
    }
    // Retried each beat until it succeeds: a dead node can still count for one request timeout.
    if (refreshPending) refreshPending = !(await refreshLocalPresence());
  };
  // One beat at a time: a refresh waiting on a dead node's request timeout must not pile up.
  let beating = false;
  const tick = () => {
    if (beating) return;
    beating = true;
    beat()
      .catch((error: unknown) => log.debug({ err: error }, "node heartbeat failed"))
      .finally(() => (beating = false));
  };
  const timer = setInterval(tick, BEAT_EVERY_MS);
  timer.unref();

  return {
    beatNow: tick,
    leave: async () => {
      clearInterval(timer);
      if (link.isUp()) await link.client.zRem(key, nodeId).catch(() => 0);
    },
  };
}
