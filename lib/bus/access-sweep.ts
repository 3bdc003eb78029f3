// Re-checks on this node that every socket may still be in each channel it is in. Revocations
// normally reach every node at once through the adapter; this catches one that a Redis outage
// (this node's or another's) kept from arriving. One check per (user, channel) pair however many
// tabs the user has open: 10 000 sockets of 64 players in one game cost 64 checks, not 10 000.
import type { BusUser } from "./bus-user";
import { authorizeChannel } from "./channel-kinds";
import type { BusServer, BusSocket } from "./io";
import { leaveChannel } from "./subscriptions";

type Check = { room: string; user: BusUser; sockets: BusSocket[] };

/** Every (channel, user) pair of this node's rooms, with the user's sockets in the room. */
function pairsToCheck(io: BusServer): Check[] {
  const checks = new Map<string, Check>();
  const sockets = io.sockets.sockets;
  for (const [room, members] of io.sockets.adapter.rooms) {
    // A socket's own room (named after its id) is no channel.
    if (sockets.has(room)) continue;
    for (const socketId of members) {
      const socket = sockets.get(socketId);
      if (!socket) continue;
      const { user } = socket.data;
      const key = `${user.id}|${room}`;
      const check = checks.get(key) ?? { room, user, sockets: [] };
      check.sockets.push(socket);
      checks.set(key, check);
    }
  }
  return [...checks.values()];
}

/**
 * Pairs checked in one turn of the event loop. A check of a kind that reads the database is a
 * synchronous query on SQLite, so a node of 10,000 players sweeping in one go would hold its
 * event loop (every socket, every answer) for the whole sweep; in turns of this many it yields
 * between them, and /api/health and the sockets are served in between.
 */
export const SWEEP_CHUNK = 200;

/**
 * Takes every socket out of the channels it may no longer see; returns how many it removed. The
 * pairs are listed first, then checked and acted on a chunk at a time; a socket that left or
 * disconnected meanwhile is skipped (a subscribe in flight sees the removal: subscriptions.ts).
 */
export async function sweepAccess(io: BusServer): Promise<number> {
  const checks = pairsToCheck(io);
  let removed = 0;
  for (let at = 0; at < checks.length; at += SWEEP_CHUNK) {
    if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const chunk = checks.slice(at, at + SWEEP_CHUNK);
    const verdicts = await Promise.all(chunk.map((check) => authorizeChannel(check.user, check.room)));
    chunk.forEach((check, index) => {
      if (!verdicts[index]) removed += removeFrom(check);
    });
  }
  return removed;
}

function removeFrom(check: Check): number {
  let removed = 0;
  for (const socket of check.sockets) {
    if (!socket.connected || !socket.rooms.has(check.room)) continue;
    leaveChannel(socket, check.room);
    // "removed" also when the game was deleted: the replayed `game_removed` says which.
    socket.emit("revoked", { channel: check.room, reason: "removed" });
    removed += 1;
  }
  return removed;
}
