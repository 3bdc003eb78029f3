// Re-checks on this node that every socket may still be in each channel it is in. Revocations
// normally reach every node at once through the adapter; this catches one that a Redis outage
// (this node's or another's) kept from arriving. Synchronous: one prepared membership query per
// socket and channel, so nothing is emitted to a socket between its check and its removal.
import { authorizeChannel } from "./channel-kinds";
import type { BusServer } from "./io";
import { leaveChannel } from "./subscriptions";

/** Takes every socket out of the channels it may no longer see; returns how many it removed. */
export function sweepAccess(io: BusServer): number {
  let removed = 0;
  for (const socket of io.sockets.sockets.values()) {
    for (const room of [...socket.rooms]) {
      if (room === socket.id || authorizeChannel(socket.data.user, room)) continue;
      leaveChannel(socket, room);
      // "removed" also when the game was deleted: the replayed `game_removed` says which.
      socket.emit("revoked", { channel: room, reason: "removed" });
      removed += 1;
    }
  }
  return removed;
}
