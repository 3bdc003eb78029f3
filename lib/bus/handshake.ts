// The Socket.IO handshake: a forged Origin is refused with `forbidden_origin`, and a socket the
// app's `authenticate` does not vouch for with `unauthorized`. The app's function is registered
// once by attachBus and asked again after a Redis outage (catch-up.ts).
import type { Socket } from "socket.io";
import { processSingleton } from "@/lib/runtime/process-singleton";
import { originAllowed, requestOrigin } from "@/lib/runtime/request-origin";
import type { Authenticate, Authenticated, BusUser } from "./bus-user";
import type { ConnectionCaps } from "./connection-caps";

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "bus:authenticate": { current: Authenticate | null };
  }
}

const registered = () => processSingleton("bus:authenticate", () => ({ current: null }));

/** Called by attachBus (or a test harness) with the app's `authenticate`. */
export function registerAuthenticate(authenticate: Authenticate): void {
  registered().current = authenticate;
}

/** Who the socket's handshake authenticates now, and with what. */
export async function handshakeIdentity(socket: Socket): Promise<Authenticated | null> {
  const authenticate = registered().current;
  if (!authenticate) throw new Error("no authenticate registered: attachBus() registers it");
  return authenticate({ headers: socket.handshake.headers, auth: socket.handshake.auth });
}

export async function handshakeUser(socket: Socket): Promise<BusUser | null> {
  return (await handshakeIdentity(socket))?.user ?? null;
}

/**
 * Socket.IO middleware: stores the authenticated user on `socket.data.user`, within the node's
 * connection caps when there are any.
 */
export function handshakeMiddleware(allowedOrigins: readonly string[], caps?: ConnectionCaps) {
  return (socket: Socket, next: (error?: Error) => void): void => {
    // A missing Origin is allowed: browsers always send one on cross-origin requests and
    // WebSocket upgrades, and same-origin polling GETs legitimately omit it.
    const { headers } = socket.handshake;
    if (!originAllowed(headers.origin, requestOrigin(headers), allowedOrigins))
      return next(new Error("forbidden_origin"));
    handshakeIdentity(socket).then(
      (identity) => {
        if (!identity) return next(new Error("unauthorized"));
        // A client that left during the lookup never connects (Socket.IO drops it without a
        // `disconnect`), so it must not be counted in: nothing would count it out.
        if (socket.conn.readyState !== "open") return next(new Error("unauthorized"));
        if (caps && !caps.admit(socket, identity.user.id)) return next(new Error("too_many_connections"));
        socket.data.user = identity.user;
        socket.data.credential = identity.credential;
        next();
      },
      () => next(new Error("unauthorized")),
    );
  };
}
