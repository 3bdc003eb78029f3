// Presence: who is subscribed to a presence channel, one entry per user however many tabs they
// have, recomputed from the room itself (so it is exact across nodes with the Redis adapter).
import type { GameChannel } from "./channel-name";
import { hasPresence } from "./channel-kinds";
import type { PlayerRef } from "./events";
import { busScope, busServer } from "./io";
import { emitVolatile } from "./transact";
import { processSingleton } from "@/lib/runtime/process-singleton";
import { log } from "@/lib/log";

/** Coalesces bursts (ten tabs opening at once) into one presence message per channel. */
const PRESENCE_DELAY_MS = 50;
/**
 * Each presence message goes to every socket of the room, so a room that keeps getting joins
 * would cost sockets × 20 messages a second. Bigger rooms wait 1 ms more per 20 sockets on this
 * node (10 000 sockets: 500 ms), which caps that at about 20 000 messages a second per room.
 */
const SOCKETS_PER_EXTRA_MS = 20;
const MAX_PRESENCE_DELAY_MS = 1000;

type PresenceQueue = { channels: Set<GameChannel>; timer: NodeJS.Timeout | null };
const queue = () => processSingleton<PresenceQueue>("presence-queue", () => ({ channels: new Set(), timer: null }));

export async function presentPlayers(channel: string): Promise<PlayerRef[]> {
  const scope = busScope();
  if (!scope) return [];
  const sockets = await scope.in(channel).fetchSockets();
  const players = new Map<number, PlayerRef>();
  for (const socket of sockets) {
    if (!socket.data.watchOnly.includes(channel)) players.set(socket.data.user.id, socket.data.user);
  }
  return [...players.values()].sort((a, b) => a.username.localeCompare(b.username));
}

async function flushPresence(): Promise<void> {
  const pending = queue();
  const channels = [...pending.channels];
  pending.channels.clear();
  pending.timer = null;
  for (const channel of channels) {
    try {
      emitVolatile(channel, "presence", { players: await presentPlayers(channel) });
    } catch (error) {
      log.warn({ err: error, channel }, "presence update failed");
    }
  }
}

function presenceDelay(channel: GameChannel): number {
  const local = busServer()?.sockets.adapter.rooms.get(channel)?.size ?? 0;
  return Math.min(MAX_PRESENCE_DELAY_MS, Math.max(PRESENCE_DELAY_MS, local / SOCKETS_PER_EXTRA_MS));
}

/** Announces the channel's presence soon (after joins, leaves, disconnects, revocations). */
export function schedulePresence(channel: GameChannel): void {
  const pending = queue();
  pending.channels.add(channel);
  pending.timer ??= setTimeout(() => void flushPresence(), presenceDelay(channel));
}

/**
 * Recomputes presence for every presence channel with a socket on this node and sends it to
 * those sockets only. Used when sockets vanished without a leave being announced (a node died,
 * the Redis link came back); returns false when a channel could not be recomputed.
 */
export async function refreshLocalPresence(): Promise<boolean> {
  const io = busServer();
  if (!io) return true;
  let complete = true;
  for (const room of [...io.sockets.adapter.rooms.keys()]) {
    if (!hasPresence(room)) continue;
    try {
      emitVolatile(room, "presence", { players: await presentPlayers(room) }, { localOnly: true });
    } catch (error) {
      complete = false;
      log.warn({ err: error, channel: room }, "presence refresh failed");
    }
  }
  return complete;
}
