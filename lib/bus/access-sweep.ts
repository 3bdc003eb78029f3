// Re-checks on this node that every socket may still be in each channel it is in. Revocations
// normally reach every node at once through the adapter; this catches one that a Redis outage
// (this node's or another's) kept from arriving. Synchronous: one prepared membership query per
// socket and channel, so nothing is emitted to a socket between its check and its removal.
import { authorizeChannel, hasPresence } from "./channel-kinds";
import type { BusServer } from "./io";
import { schedulePresence } from "./presence";

/** Takes every socket out of the channels it may no longer see; returns how many it removed. */
export function sweepAccess(io: BusServer): number {
  let removed = 0;
  for (const socket of io.sockets.sockets.values()) {
    for (const room of [...socket.rooms]) {
      if (room === socket.id || authorizeChannel(socket.data.user, room)) continue;
      socket.leave(room);
      socket.data.watchOnly = socket.data.watchOnly.filter((name) => name !== room);
      // "removed" also when the game was deleted: the replayed `game_removed` says which.
      socket.emit("revoked", { channel: room, reason: "removed" });
      if (hasPresence(room)) schedulePresence(room);
      removed += 1;
    }
  }
  return removed;
}
