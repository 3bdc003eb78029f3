// The typed accessor to this process's Socket.IO server: server.ts sets it once, and server
// actions, route handlers and lib code in any Next bundle reach the same instance through it.
import type { Server } from "socket.io";
import type { SessionUser } from "@/lib/auth/users";
import { peekProcessSingleton, setProcessSingleton } from "@/lib/runtime/process-singleton";
import type { ClientToServerEvents, ServerToClientEvents } from "./events";

/** Kept as plain arrays: with the Redis adapter, socket data crosses nodes as msgpack. */
export type SocketData = { user: SessionUser; watchOnly: string[] };
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Socket.IO's slot for inter-server events, unused
export type BusServer = Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;

const KEY = "bus-server";

export function setBusServer(io: BusServer | undefined): void {
  setProcessSingleton(KEY, io);
}

/** The Socket.IO server, or null in a process without one (a script, a unit test). */
export function busServer(): BusServer | null {
  return peekProcessSingleton<BusServer>(KEY) ?? null;
}
