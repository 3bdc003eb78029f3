// The Socket.IO handshake: a forged Origin is refused with `forbidden_origin`, and a socket
// without a valid session cookie or API token is refused with `unauthorized`.
import type { Socket } from "socket.io";
import { z } from "zod";
import { apiTokenSession } from "@/lib/auth/api-tokens";
import { sessionFromCookieHeader } from "@/lib/auth/session-token";
import type { SessionUser } from "@/lib/auth/users";
import { originAllowed, requestOrigin, requestScheme } from "@/lib/runtime/request-origin";
import type { ConnectionCaps } from "./connection-caps";
import type { SocketCredential } from "./io";

const handshakeAuth = z.object({ token: z.string().max(256) });

export type HandshakeIdentity = { user: SessionUser; credential: SocketCredential };

/** Who the socket's handshake authenticates now, and with what (checked again after a Redis outage). */
export async function handshakeIdentity(socket: Socket): Promise<HandshakeIdentity | null> {
  const { headers } = socket.handshake;
  const session = await sessionFromCookieHeader(headers.cookie, requestScheme(headers));
  if (session) return { user: session.user, credential: { kind: "session", expiresAt: session.expiresAt } };
  const auth = handshakeAuth.safeParse(socket.handshake.auth);
  const token = auth.success ? await apiTokenSession(auth.data.token) : null;
  return token ? { user: token.user, credential: { kind: "token", tokenId: token.tokenId } } : null;
}

export async function handshakeUser(socket: Socket): Promise<SessionUser | null> {
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
    if (!originAllowed(headers.origin, requestOrigin(headers), allowedOrigins)) return next(new Error("forbidden_origin"));
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
