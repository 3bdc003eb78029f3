// Opens the Socket.IO connection to this origin's bus, the same way for a tab and for the
// SharedWorker: the session cookie authenticates it (the page and the worker share the origin).
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../events";

export type BusSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A worker has no XMLHttpRequest, which Socket.IO's long-polling transport needs, so the worker
 * goes straight to WebSocket (a WebSocket handshake carries the origin's cookies, like any
 * same-origin request). A tab keeps the default: polling first, then the upgrade.
 */
export function openBusSocket(where: "tab" | "worker"): BusSocket {
  return io({
    path: "/socket.io",
    withCredentials: true,
    ...(where === "worker" ? { transports: ["websocket"] } : {}),
  });
}
