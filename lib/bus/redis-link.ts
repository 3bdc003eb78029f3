// The link between this node and the others: Socket.IO's Redis adapter (pub/sub) on two
// node-redis clients. Tracks whether the link is up, logs an outage once, keeps retrying, and
// tells the caller when the link went down and when it is back.
import { randomUUID } from "node:crypto";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { log } from "@/lib/log";
import { redactUrl } from "@/lib/runtime/redact-url";
import { setBusLinkDown, type BusServer } from "./io";

/** Cross-node requests (fetchSockets) give up after this; bounds presence after a node dies. */
const REQUESTS_TIMEOUT_MS = 2000;
const MAX_RETRY_DELAY_MS = 2000;
/** Notices a silently dead connection (no RST) within this, on top of the socket's own errors. */
const PING_EVERY_MS = 5000;
/**
 * How long one connection attempt may take. A stopped Redis refuses at once, so this only bounds
 * a black-holed one; it is long because the timer also fires when the node's own event loop was
 * busy (a loaded machine starting Next took over 2 s), which would report an outage that never was.
 */
const CONNECT_TIMEOUT_MS = 10_000;

export type RedisClient = ReturnType<typeof createClient>;

export type RedisLinkOptions = {
  url: string;
  prefix: string;
  onDown: () => void;
  onUp: () => void;
};

export type RedisLink = { client: RedisClient; isUp: () => boolean; close: () => Promise<void> };

function newClient(url: string): RedisClient {
  return createClient({
    url,
    pingInterval: PING_EVERY_MS,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Never give up: a node outlives a Redis restart and rejoins when it is back.
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, MAX_RETRY_DELAY_MS),
      // A black-holed connection leaves a PING unanswered and the socket idle: close it.
      socketTimeout: 2 * PING_EVERY_MS,
    },
  });
}

/**
 * Puts the Redis adapter on `io`. The node starts serving at once; until both clients are
 * ready the bus stays local (busScope), and it returns to local whenever either drops.
 */
export function linkToRedis(io: BusServer, options: RedisLinkOptions): RedisLink {
  const pub = newClient(options.url);
  const sub = pub.duplicate();
  let up = false;
  let warned = false;
  let closing = false;
  setBusLinkDown(true);

  // "ready" means connected, not subscribed: the adapter's PSUBSCRIBE may still wait for its
  // reply, and a publish before it would miss this node. A probe subscription sent after it on
  // the same connection is answered after it, so once the probe is answered the link is up.
  const probe = `${options.prefix}:probe:${randomUUID()}`;
  let probing = false;
  const confirmSubscribed = () => {
    if (probing) return;
    probing = true;
    sub
      .subscribe(probe, () => undefined)
      .then(() => sub.unsubscribe(probe))
      .then(
        () => {
          probing = false;
          update(false, true);
        },
        // The connection dropped meanwhile: its next "ready" probes again.
        (error: unknown) => {
          probing = false;
          log.debug({ err: error }, "Redis subscription probe failed");
        },
      );
  };

  // `trouble`: called from an error, end or reconnect event. The first one while down is the
  // outage (also for a node that starts while Redis is away): logged once, and `onDown` runs.
  const update = (trouble: boolean, subscribed = false) => {
    const ready = pub.isReady && sub.isReady && !closing;
    if (ready && !up && !subscribed) confirmSubscribed();
    else if (ready && !up) {
      up = true;
      warned = false;
      setBusLinkDown(false);
      log.info({ redis: redactUrl(options.url) }, "Redis link up: the bus spans every node");
      options.onUp();
    } else if (!ready && up) {
      up = false;
      setBusLinkDown(true);
    }
    if (!ready && trouble && !warned && !closing) {
      warned = true;
      log.warn({ redis: redactUrl(options.url) }, "Redis link down: serving this node's sockets only until it returns");
      options.onDown();
    }
  };
  for (const client of [pub, sub]) {
    client.on("ready", () => update(false));
    client.on("end", () => update(true));
    client.on("reconnecting", () => update(true));
    // Logged once through `update`; node-redis needs a listener or it throws.
    client.on("error", (error: unknown) => {
      log.debug({ err: error }, "Redis client error");
      update(true);
    });
    client.connect().catch((error: unknown) => log.debug({ err: error }, "Redis connect gave up"));
  }
  io.adapter(
    createAdapter(catchingUnawaited(pub), catchingUnawaited(sub), {
      key: `${options.prefix}:sio`,
      requestsTimeout: REQUESTS_TIMEOUT_MS,
    }),
  );

  return {
    client: pub,
    isUp: () => up,
    close: async () => {
      closing = true;
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}

/** Whether Redis at `url` answers a PING within a second (one try, no reconnects). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    if (client.isOpen) await client.close();
  }
}

/** Commands the adapter sends without awaiting them (publish on every emit, subscriptions). */
const UNAWAITED = new Set([
  "publish",
  "sPublish",
  "subscribe",
  "pSubscribe",
  "sSubscribe",
  "unsubscribe",
  "pUnsubscribe",
  "sUnsubscribe",
]);

/**
 * The client as the adapter sees it. When the connection drops, node-redis rejects the commands
 * still waiting for a reply; the adapter never awaits its publishes, so each rejection would be
 * unhandled, and an unhandled rejection ends a Node 20 process. Those commands get a handler
 * here (what they carried is replayed from the store after the outage); awaited ones still reject.
 */
function catchingUnawaited(client: RedisClient): RedisClient {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (typeof property !== "string" || !UNAWAITED.has(property)) return value.bind(target);
      return (...args: unknown[]) => {
        const result: unknown = Reflect.apply(value, target, args);
        if (result instanceof Promise)
          result.catch((error: unknown) => log.debug({ err: error, command: property }, "Redis command dropped"));
        return result;
      };
    },
  });
}
