// Catching a node's sockets up after a Redis outage, its own or another node's, or after a node
// died: notifications emitted on the other side of the outage (or still unpublished by the dead
// node) never reached them, nor did revocations decided there.
// The node re-checks access first, then replays the gap from the store to its own rooms
// (clients drop ids they already have), then recomputes presence.
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/runtime/process-singleton";
import { sweepAccess } from "./access-sweep";
import { personalChannel } from "./channel-kinds";
import { handshakeUser } from "./handshake";
import { busLinkDown, busServer, type BusServer } from "./io";
import { refreshLocalPresence } from "./presence";
import { readSince } from "./replay-read";
import { latestNotificationId } from "./store";

const SAMPLE_EVERY_MS = 2000;
/** Samples kept: the watermark is the oldest, older than any plausible outage detection delay. */
const SAMPLES_KEPT = 8;
/** Above this many notifications to replay, the node's sockets reconnect and resubscribe instead. */
const GAP_LIMIT = 20_000;

type Watermark = { samples: number[]; since: number | null; running: boolean; timer: NodeJS.Timeout | null };
declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "bus-watermark": Watermark;
  }
}
const watermark = () =>
  processSingleton("bus-watermark", () => ({ samples: [], since: null, running: false, timer: null }));

/**
 * Starts remembering recent notification ids, and catching up whenever the link is up with a
 * gap pending (so a catch-up that failed is tried again). `onCaughtUp` gets the gap's start.
 */
export function startWatermark(onCaughtUp: (since: number) => void): () => void {
  const state = watermark();
  const tick = async () => {
    try {
      state.samples.push(await latestNotificationId());
      if (state.samples.length > SAMPLES_KEPT) state.samples.shift();
    } catch (error) {
      log.warn({ err: error }, "reading the notification watermark failed");
    }
    if (state.since !== null && !busLinkDown()) await catchUpOwnGap(onCaughtUp);
  };
  void tick();
  state.timer = setInterval(() => void tick(), SAMPLE_EVERY_MS);
  state.timer.unref();
  return () => {
    if (state.timer) clearInterval(state.timer);
  };
}

/**
 * The oldest recent notification id: everything after it may have missed this node's sockets
 * when something went wrong just now (a link down, a node dead), however long noticing took.
 */
export async function recentWatermark(): Promise<number> {
  return watermark().samples[0] ?? (await latestNotificationId());
}

/**
 * The link went down: whatever came after the oldest recent sample may not have reached us.
 * Synchronous when there is a sample (always, but for the first moments after start-up).
 */
export function markCutOff(): void {
  const state = watermark();
  if (state.since !== null) return;
  const sample = state.samples[0];
  if (sample !== undefined) {
    state.since = sample;
    return;
  }
  latestNotificationId().then(
    (latest) => (state.since ??= latest),
    // Without a database there is no gap to measure; the next sample's tick has one.
    (error: unknown) => log.warn({ err: error }, "reading the notification watermark failed"),
  );
}

/** The link is back (or the watermark tick retries): catch up, then tell `onCaughtUp`. */
export async function catchUpOwnGap(onCaughtUp: (since: number) => void): Promise<void> {
  const state = watermark();
  const since = state.since;
  if (since === null || state.running) return;
  state.running = true;
  try {
    await catchUpFrom(since);
    state.since = null;
    onCaughtUp(since);
  } catch (error) {
    log.error({ err: error, since }, "catching up after the Redis outage failed; retrying");
  } finally {
    state.running = false;
  }
}

/** Access first, so nothing committed after a removal is replayed to the removed member. */
export async function catchUpFrom(since: number): Promise<void> {
  const io = busServer();
  if (!io) return;
  await sweepAccess(io);
  await recheckCredentials(io);
  await replayGap(io, since);
  await refreshLocalPresence();
}

/**
 * Nodes died (this node found their heartbeats expired, or another node said so): catch this
 * node's sockets up from its own watermark (another node's may postdate what this one's sockets
 * missed); the log line is what an operator (and the chaos suite) reads.
 */
export function catchUpAfterDeaths(nodes: number): void {
  recentWatermark()
    .then(async (since) => {
      await catchUpFrom(since);
      log.info({ since, nodes }, "caught up this node's sockets after nodes died");
    })
    .catch((error: unknown) => log.error({ err: error }, "catching up after nodes died failed"));
}

async function replayGap(io: BusServer, since: number): Promise<void> {
  const gap = await readSince(since, GAP_LIMIT);
  if (!gap.complete) {
    // Too much to push: every local socket reconnects, and each resubscribes from its own cursor.
    log.warn({ since }, "outage gap too large to replay; reconnecting this node's sockets");
    for (const socket of io.sockets.sockets.values()) socket.conn.close();
    return;
  }
  const rooms = io.sockets.adapter.rooms;
  const missed = gap.notifications.filter((notification) => rooms.has(notification.channel));
  for (const notification of missed) io.local.to(notification.channel).emit("notification", notification);
  if (missed.length > 0)
    log.info({ since, replayed: missed.length }, "replayed notifications missed during a Redis outage");
}

/**
 * Sessions signed out everywhere, or tokens revoked, while the revocation could not arrive. Only
 * an answer ends a socket: a lookup that failed (a database blip under load) keeps it, and says
 * so, rather than sign a whole room out in silence. The cost: a sign-out everywhere decided
 * during the outage reaches that socket only when its session expires (session-expiry.ts).
 */
async function recheckCredentials(io: BusServer): Promise<void> {
  for (const socket of [...io.sockets.sockets.values()]) {
    let user: Awaited<ReturnType<typeof handshakeUser>>;
    try {
      user = await handshakeUser(socket);
    } catch (error) {
      log.warn({ err: error, socket: socket.id }, "re-checking a socket's credentials failed; kept it");
      continue;
    }
    if (user && user.id === socket.data.user.id) continue;
    socket.emit("revoked", { channel: personalChannel(socket.data.user.id), reason: "signed_out" });
    socket.disconnect(true);
  }
}
