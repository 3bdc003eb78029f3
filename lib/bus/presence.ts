// Presence: who is subscribed to a presence channel, one entry per user however many tabs they
// have, recomputed from the room itself (so it is exact across nodes with the Redis adapter).
import { hasPresence } from "./channel-kinds";
import { emitPresence } from "./emit";
import type { PresentUser } from "./events";
import { busScope, busServer } from "./io";
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

/** One pending flush per channel, so each room waits only its own delay. */
const pendingFlushes = () => processSingleton("presence-timers", () => new Map<string, NodeJS.Timeout>());

type PresenceSocket = { rooms: Set<string>; data: { user: PresentUser; watchOnly: string[] } };

/** One entry per user among `sockets` in `channel` (watch-only sockets excluded), by username. */
function playersIn(channel: string, sockets: readonly PresenceSocket[]): PresentUser[] {
  const players = new Map<number, PresentUser>();
  for (const socket of sockets) {
    if (socket.rooms.has(channel) && !socket.data.watchOnly.includes(channel)) {
      players.set(socket.data.user.id, { id: socket.data.user.id, username: socket.data.user.username });
    }
  }
  return [...players.values()].sort((a, b) => a.username.localeCompare(b.username));
}

export async function presentPlayers(channel: string): Promise<PresentUser[]> {
  const scope = busScope();
  if (!scope) return [];
  return playersIn(channel, await scope.in(channel).fetchSockets());
}

async function flushPresence(channel: string): Promise<void> {
  pendingFlushes().delete(channel);
  try {
    emitPresence(channel, { players: await presentPlayers(channel) });
  } catch (error) {
    log.warn({ err: error, channel }, "presence update failed");
  }
}

function presenceDelay(channel: string): number {
  const local = busServer()?.sockets.adapter.rooms.get(channel)?.size ?? 0;
  return Math.min(MAX_PRESENCE_DELAY_MS, Math.max(PRESENCE_DELAY_MS, local / SOCKETS_PER_EXTRA_MS));
}

/** Announces the channel's presence soon (after joins, leaves, disconnects, revocations). */
export function schedulePresence(channel: string): void {
  const pending = pendingFlushes();
  if (!pending.has(channel)) pending.set(channel, setTimeout(() => void flushPresence(channel), presenceDelay(channel)));
}

/**
 * Recomputes presence for every presence channel with a socket on this node, with one query
 * across nodes, and sends it to this node's sockets only. Used when sockets vanished without a
 * leave being announced (a node died, a Redis link came back); false when it could not.
 */
export async function refreshLocalPresence(): Promise<boolean> {
  const io = busServer();
  const scope = busScope();
  if (!io || !scope) return true;
  const channels = [...io.sockets.adapter.rooms.keys()].filter(hasPresence);
  if (channels.length === 0) return true;
  try {
    const sockets = await scope.in(channels).fetchSockets();
    for (const channel of channels) emitPresence(channel, { players: playersIn(channel, sockets) }, { localOnly: true });
    return true;
  } catch (error) {
    log.warn({ err: error }, "presence refresh failed");
    return false;
  }
}
