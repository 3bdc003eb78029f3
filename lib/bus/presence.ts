// Presence: who is subscribed to a presence channel, one entry per user however many tabs they
// have, recomputed from the room itself (so it is exact across nodes with the Redis adapter), and
// sent as a count with the changes (big rooms) or whole lists (small rooms, newcomers).
import { hasPresence } from "./channel-kinds";
import { emitPresence } from "./emit";
import type { BusUserId } from "./bus-user";
import type { PresentUser } from "./events";
import { planPresence, SNAPSHOT_NAMES_MAX, type Told } from "./presence-plan";
import { byUsername } from "./presence-state";
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
export const MAX_PRESENCE_DELAY_MS = 1000;

/** One pending flush per channel, so each room waits only its own delay, with the sockets that joined meanwhile. */
type PendingFlush = { timer: NodeJS.Timeout; joiners: Set<string> };
declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "presence-timers": Map<string, PendingFlush>;
    "presence-told": Map<string, Told>;
  }
}
const pendingFlushes = () => processSingleton("presence-timers", () => new Map<string, PendingFlush>());
/**
 * What this node last told each whole room (the base of the next message's changes), per channel
 * with sockets here. Only without the Redis adapter: see flushPresence.
 */
const toldRooms = () => processSingleton("presence-told", () => new Map<string, Told>());

type PresenceSocket = { rooms: Set<string>; data: { user: PresentUser; watchOnly: string[] } };

/** One entry per user among `sockets` in `channel` (watch-only sockets excluded), by username. */
function playersIn(channel: string, sockets: readonly PresenceSocket[]): PresentUser[] {
  const players = new Map<BusUserId, PresentUser>();
  for (const socket of sockets) {
    if (socket.rooms.has(channel) && !socket.data.watchOnly.includes(channel)) {
      players.set(socket.data.user.id, { id: socket.data.user.id, username: socket.data.user.username });
    }
  }
  return [...players.values()].sort(byUsername);
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

/**
 * Sends the room what changed since the last flush (presence-plan.ts decides what).
 *
 * Why changes are only sent by a node alone: a change ("bob left") is only right for a receiver
 * whose last message was the one it was computed against. One node's messages reach each of its
 * sockets in order, so a lone node can keep the room's base (`toldRooms`) and send changes. With
 * the Redis adapter every node flushes the room it sees, from its own socket query, at its own
 * time: two nodes' messages interleave differently on different sockets, and a change computed
 * by one node against its base can arrive after another node's newer message (a "joined" for a
 * player who has left since, kept forever). A sequence shared through Redis could order them,
 * but a whole snapshot needs none: the last one wins. So, clustered, every flush sends the room a
 * snapshot, bounded by SNAPSHOT_NAMES_MAX (the count is whole), which converges as the room did
 * before; refreshLocalPresence covers a node that died without its leaves being announced.
 */
async function flushPresence(channel: string): Promise<void> {
  const joiners = pendingFlushes().get(channel)?.joiners ?? new Set<string>();
  pendingFlushes().delete(channel);
  try {
    const players = await presentPlayers(channel);
    const told = toldRooms();
    const newcomers = joinersStillIn(channel, joiners);
    const clustered = busClustered();
    const plan = planPresence(players, clustered ? undefined : told.get(channel), {
      clustered,
      newcomers: newcomers.length > 0,
    });
    for (const send of plan.sends) {
      if (send.to === "newcomers") emitPresence(channel, send.payload, { localOnly: true, sockets: newcomers });
      else emitPresence(channel, send.payload, send.exceptNewcomers ? { except: newcomers } : {});
    }
    if (plan.told && busServer()?.sockets.adapter.rooms.has(channel)) told.set(channel, plan.told);
    else told.delete(channel);
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
  toldRooms().delete(channel);
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
    // Snapshots (the last one wins), as every clustered flush sends: see flushPresence.
    for (const channel of channels) {
      const players = playersIn(channel, sockets);
      emitPresence(
        channel,
        { count: players.length, players: players.slice(0, SNAPSHOT_NAMES_MAX) },
        { localOnly: true },
      );
    }
    return true;
  } catch (error) {
    log.warn({ err: error }, "presence refresh failed");
    return false;
  }
}
