// Re-checks on this node that every socket may still be in each channel it is in. Revocations
// normally reach every node at once through the adapter; this catches one that a Redis outage
// (this node's or another's) kept from arriving. Synchronous, so nothing is emitted to a socket
// between its check and its removal, and one check per (user, channel) pair however many tabs
// the user has open: 10 000 sockets of 64 players in one game cost 64 checks, not 10 000.
import { authorizeChannel } from "./channel-kinds";
import type { BusServer } from "./io";
import { leaveChannel } from "./subscriptions";

/** Takes every socket out of the channels it may no longer see; returns how many it removed. */
export function sweepAccess(io: BusServer): number {
  let removed = 0;
  const sockets = io.sockets.sockets;
  for (const [room, members] of [...io.sockets.adapter.rooms]) {
    // A socket's own room (named after its id) is no channel.
    if (sockets.has(room)) continue;
    const verdicts = new Map<number, boolean>();
    for (const socketId of [...members]) {
      const socket = sockets.get(socketId);
      if (!socket) continue;
      const { user } = socket.data;
      let allowed = verdicts.get(user.id);
      if (allowed === undefined) verdicts.set(user.id, (allowed = authorizeChannel(user, room)));
      if (allowed) continue;
      leaveChannel(socket, room);
      // "removed" also when the game was deleted: the replayed `game_removed` says which.
      socket.emit("revoked", { channel: room, reason: "removed" });
      removed += 1;
    }
  }
  return removed;
}
