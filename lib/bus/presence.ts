// Presence: who is subscribed to a presence channel, one entry per user however many tabs they
// have, recomputed from the room itself (so it is exact across nodes with the Redis adapter).
import { hasPresence } from "./channel-kinds";
import { emitPresence } from "./emit";
import type { PresentUser } from "./events";
import { busClustered, busScope, busServer } from "./io";
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

/** One pending flush per channel, so each room waits only its own delay, with the sockets that joined meanwhile. */
type PendingFlush = { timer: NodeJS.Timeout; joiners: Set<string> };
const pendingFlushes = () => processSingleton("presence-timers", () => new Map<string, PendingFlush>());
/**
 * The list this node last sent to a whole room (as JSON), per channel with sockets here. A flush
 * that finds the same list sends it only to the sockets that joined since, not again to the
 * room: resending unchanged lists to everyone made a crowd's joins cost sockets² messages (four
 * tenths of the CPU of 20 000 sockets connecting, for 64 distinct players). Only on one node:
 * with the Redis adapter another node may have sent a newer list since, so every update goes to
 * the whole room there.
 */
const sentToRoom = () => processSingleton("presence-sent", () => new Map<string, string>());

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

/** The joiners still connected and in the channel (a socket's own room is its id). */
function joinersStillIn(channel: string, joiners: Set<string>): string[] {
  const sockets = busServer()?.sockets.sockets;
  return [...joiners].filter((id) => sockets?.get(id)?.rooms.has(channel) === true);
}

async function flushPresence(channel: string): Promise<void> {
  const joiners = pendingFlushes().get(channel)?.joiners ?? new Set<string>();
  pendingFlushes().delete(channel);
  try {
    const players = await presentPlayers(channel);
    const list = JSON.stringify(players);
    const sent = sentToRoom();
    if (!busClustered() && sent.get(channel) === list) {
      const newcomers = joinersStillIn(channel, joiners);
      if (newcomers.length > 0) emitPresence(channel, { players }, { localOnly: true, sockets: newcomers });
    } else {
      emitPresence(channel, { players });
      sent.set(channel, list);
    }
    if (!busServer()?.sockets.adapter.rooms.has(channel)) sent.delete(channel);
  } catch (error) {
    log.warn({ err: error, channel }, "presence update failed");
  }
}

function presenceDelay(channel: string): number {
  const local = busServer()?.sockets.adapter.rooms.get(channel)?.size ?? 0;
  return Math.min(MAX_PRESENCE_DELAY_MS, Math.max(PRESENCE_DELAY_MS, local / SOCKETS_PER_EXTRA_MS));
}

/**
 * Announces the channel's presence soon (after joins, leaves, disconnects, revocations);
 * `joinerId`: the socket that just joined, which gets the list even when it did not change.
 */
export function schedulePresence(channel: string, joinerId?: string): void {
  const pending = pendingFlushes();
  let flush = pending.get(channel);
  if (!flush) {
    flush = { timer: setTimeout(() => void flushPresence(channel), presenceDelay(channel)), joiners: new Set() };
    pending.set(channel, flush);
  }
  if (joinerId !== undefined) flush.joiners.add(joinerId);
}

/** Forgets what was sent on a channel whose sockets were all made to leave (the record is gone). */
export function forgetPresence(channel: string): void {
  sentToRoom().delete(channel);
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
