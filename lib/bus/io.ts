// The typed accessor to this process's Socket.IO server: server.ts sets it once, and server
// actions, route handlers and lib code in any Next bundle reach the same instance through it.
// `busScope()` is where broadcasts go: the whole cluster, or only this node while its Redis
// link is down (so nothing waits on, or queues behind, a dead link).
import type { BroadcastOperator, Server, Socket } from "socket.io";
import { peekProcessSingleton, processSingleton, setProcessSingleton } from "@/lib/runtime/process-singleton";
import type { BusUser, SocketCredential } from "./bus-user";
import type { ClientToServerEvents, ServerToClientEvents } from "./events";

export type { SocketCredential } from "./bus-user";
/** Kept as plain values: with the Redis adapter, socket data crosses nodes as msgpack. */
export type SocketData = { user: BusUser; credential: SocketCredential; watchOnly: string[] };
/** Messages between nodes (Redis adapter `serverSideEmit`); payloads are parsed on arrival. */
export type ClusterEvents = {
  /** "My link to Redis was down; catch your sockets up from this notification id." */
  relinked: (since: unknown) => void;
  /** "Apply this revocation to your sockets" (revoke.ts). */
  revoke: (order: unknown) => void;
};
export type BusServer = Server<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;
export type BusScope = BroadcastOperator<ServerToClientEvents, SocketData>;
export type BusSocket = Socket<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;

/** The Redis link as this node sees it (set by the adapter's start-up and its health checks). */
type BusLink = { down: boolean; clustered: boolean };

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "bus-server": BusServer;
    "bus-link": BusLink;
  }
}

const KEY = "bus-server";
const link = () => processSingleton("bus-link", (): BusLink => ({ down: false, clustered: false }));

export function setBusServer(io: BusServer | undefined): void {
  setProcessSingleton(KEY, io);
}

/** The Socket.IO server, or null in a process without one (a script, a unit test). */
export function busServer(): BusServer | null {
  return peekProcessSingleton(KEY) ?? null;
}

/** Set by the Redis link: while down, every broadcast and socket query stays on this node. */
export function setBusLinkDown(down: boolean): void {
  link().down = down;
}

export function busLinkDown(): boolean {
  return link().down;
}

/** Set when the node joins others through Redis: then other nodes emit to the same rooms too. */
export function setBusClustered(clustered: boolean): void {
  link().clustered = clustered;
}

export function busClustered(): boolean {
  return link().clustered;
}

/** Every socket of the cluster (or of this node alone while the Redis link is down). */
export function busScope(): BusScope | null {
  const io = busServer();
  if (!io) return null;
  return link().down ? io.local : io.except([]);
}

/** This node's own sockets, whatever the link state (stats and refreshes each node sends itself). */
export function localScope(): BusScope | null {
  return busServer()?.local ?? null;
}

/** This node's sockets in `channel` (0 without a Socket.IO server). */
export function localSockets(channel: string): number {
  return busServer()?.sockets.adapter.rooms.get(channel)?.size ?? 0;
}
