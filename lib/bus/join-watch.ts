// Revocations that race a subscribe. A subscribe authorizes, then awaits the store, then joins:
// a member removed in between is revoked while the socket is not in the room yet (the revocation's
// `socketsLeave` finds nothing to remove), and the join that follows would let them back in. Every
// revocation reaches this node's socket as a `leave` of the channel (the adapter calls
// `socket.leave` on each matching socket, local or from another node), so a subscribe watches the
// leaves of its channels from its first await until its ack and grants none that was left.
import { Socket } from "socket.io";
import type { BusSocket } from "./io";

/** A subscribe in flight: the channels it asks for, and those some revocation left meanwhile. */
export type JoinWatch = { channels: ReadonlySet<string>; revoked: Set<string> };

const watches = new WeakMap<BusSocket, Set<JoinWatch>>();
const plainLeave = Socket.prototype.leave;

/** `socket.leave` as revocations, the access sweep and the adapter call it: noted by watches. */
function watchedLeave(this: BusSocket, room: string): Promise<void> | void {
  for (const watch of watches.get(this) ?? []) if (watch.channels.has(room)) watch.revoked.add(room);
  return plainLeave.call(this, room);
}

/** Installs the watched leave on a new socket: a shared function, no closure per socket. */
export function watchLeaves(socket: BusSocket): void {
  socket.leave = watchedLeave;
}

/** A leave that is no revocation (the socket's own `unsubscribe`): watches do not see it. */
export function leaveUnwatched(socket: BusSocket, room: string): void {
  void plainLeave.call(socket, room);
}

export function startWatch(socket: BusSocket, channels: string[]): JoinWatch {
  const watch: JoinWatch = { channels: new Set(channels), revoked: new Set() };
  let open = watches.get(socket);
  if (!open) watches.set(socket, (open = new Set()));
  open.add(watch);
  return watch;
}

export function stopWatch(socket: BusSocket, watch: JoinWatch): void {
  const open = watches.get(socket);
  open?.delete(watch);
  if (open?.size === 0) watches.delete(socket);
}
