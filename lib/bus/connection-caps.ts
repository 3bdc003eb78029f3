// Caps on this node's sockets per user and per client address: a script opening sockets in a
// loop is refused with `connect_error` "too_many_connections" after its share, before its
// sockets cost memory. Counted per node (N nodes admit up to N times as many); with one
// connection per browser (the SharedWorker), a user's cap is a count of browsers and devices.
import type { BusUserId } from "./bus-user";
import type { Socket } from "socket.io";
import type { BusSocket } from "./io";

export type ConnectionCapOptions = {
  socketsPerUser: number;
  socketsPerAddress: number;
  /** The client address of a handshake (the peer, or what trusted proxies forwarded). */
  clientAddress: (socket: Socket) => string;
};

export class ConnectionCaps {
  private readonly byUser = new Map<BusUserId, number>();
  private readonly byAddress = new Map<string, number>();

  constructor(private readonly options: ConnectionCapOptions) {}

  /** Counts the socket in when both caps allow it; `release` counts it out again. */
  admit(socket: Socket, userId: BusUserId): boolean {
    const address = this.options.clientAddress(socket);
    if ((this.byUser.get(userId) ?? 0) >= this.options.socketsPerUser) return false;
    if ((this.byAddress.get(address) ?? 0) >= this.options.socketsPerAddress) return false;
    bump(this.byUser, userId, 1);
    bump(this.byAddress, address, 1);
    return true;
  }

  /**
   * Counts out an admitted socket as it disconnects (the bus's one `disconnecting` listener calls
   * it, so no socket holds a listener of its own). The address is read again from the handshake,
   * which does not change.
   */
  release(socket: BusSocket): void {
    bump(this.byUser, socket.data.user.id, -1);
    bump(this.byAddress, this.options.clientAddress(socket), -1);
  }
}

function bump<K>(counts: Map<K, number>, key: K, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
