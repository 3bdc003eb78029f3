// What a node does when its Redis link comes back: its sockets may have missed notifications
// emitted on other nodes and revocations decided there. It replays the gap from the store to
// its own rooms (clients drop ids they already have) and re-checks every socket's access.
import { db } from "@/db/client";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/runtime/process-singleton";
import { userChannel } from "./channel-name";
import { authorizeChannel } from "./channel-kinds";
import { handshakeUser } from "./handshake";
import { busServer, type BusServer } from "./io";
import { refreshLocalPresence } from "./presence";
import { latestNotificationId, readReplay } from "./store";

const SAMPLE_EVERY_MS = 2000;
/** Samples kept: the watermark is the oldest, older than any plausible outage detection delay. */
const SAMPLES_KEPT = 8;

type Watermark = { samples: number[]; since: number | null; timer: NodeJS.Timeout | null };
const watermark = () => processSingleton<Watermark>("bus-watermark", () => ({ samples: [], since: null, timer: null }));

function sample(): void {
  const state = watermark();
  state.samples.push(latestNotificationId(db()));
  if (state.samples.length > SAMPLES_KEPT) state.samples.shift();
}

/** Starts remembering recent notification ids; the node is cut off until the link is first up. */
export function startWatermark(): () => void {
  const state = watermark();
  sample();
  state.since = state.samples[0] ?? 0;
  state.timer = setInterval(sample, SAMPLE_EVERY_MS);
  state.timer.unref();
  return () => {
    if (state.timer) clearInterval(state.timer);
  };
}

/** The link went down: whatever came after the oldest recent sample may not have reached us. */
export function markCutOff(): void {
  const state = watermark();
  state.since ??= state.samples[0] ?? latestNotificationId(db());
}

/** The link is back: re-check access, replay the gap to local rooms, refresh presence. */
export async function catchUp(): Promise<void> {
  const io = busServer();
  const state = watermark();
  const since = state.since;
  state.since = null;
  if (!io || since === null) return;
  // Access first: nothing committed after a removal may be replayed to the removed member.
  await reauthorizeSockets(io);
  replayGap(io, since);
  await refreshLocalPresence();
}

function replayGap(io: BusServer, since: number): void {
  const rooms = [...io.sockets.adapter.rooms.keys()].filter((room) => !io.sockets.sockets.has(room));
  const replay = readReplay(db(), rooms, since);
  if (replay.reset) {
    // Too much to push: make every local socket reconnect, so each gets `reset` on subscribe.
    log.warn({ since }, "Redis outage gap too large to replay; reconnecting this node's sockets");
    for (const socket of io.sockets.sockets.values()) socket.conn.close();
    return;
  }
  for (const notification of replay.notifications) io.local.to(notification.channel).emit("notification", notification);
  if (replay.notifications.length > 0) log.info({ since, replayed: replay.notifications.length }, "replayed notifications missed while cut off from Redis");
}

async function reauthorizeSockets(io: BusServer): Promise<void> {
  for (const socket of [...io.sockets.sockets.values()]) {
    const user = await handshakeUser(socket).catch(() => null);
    if (!user || user.id !== socket.data.user.id) {
      socket.emit("revoked", { channel: userChannel(socket.data.user.id), reason: "signed_out" });
      socket.disconnect(true);
      continue;
    }
    for (const room of socket.rooms) {
      if (room === socket.id || authorizeChannel(user, room)) continue;
      // "removed" also when the game was deleted: the replayed `game_removed` said which.
      socket.leave(room);
      socket.emit("revoked", { channel: room, reason: "removed" });
    }
  }
}
