// Who a socket is, as the app says: the bus never reads a cookie or a token itself. The app
// passes `authenticate` to attachBus (lib/realtime/authenticate.ts is Clickbus's), and whatever
// id it returns (a number, a string) names the user's personal channel and their presence entry.
import type { IncomingHttpHeaders } from "node:http";

export type BusUserId = number | string;

/** `username` is what presence shows others. */
export type BusUser = { id: BusUserId; username: string };

/**
 * How a socket authenticated, kept on it so that it can be cut when that goes away: a session
 * (cut when it expires, session-expiry.ts) or a revocable token (cut by `disconnectCredential`).
 */
export type SocketCredential = { kind: "session"; expiresAt: number } | { kind: "token"; tokenId: number };

export type Authenticated<U extends BusUser = BusUser> = { user: U; credential: SocketCredential };

/** What of a Socket.IO handshake the app may judge: its headers (cookies) and its `auth` payload. */
export type Handshake = { headers: IncomingHttpHeaders; auth: unknown };

/** The app's answer for a handshake: who it is, or null (refused as `unauthorized`). */
export type Authenticate<U extends BusUser = BusUser> = (handshake: Handshake) => Promise<Authenticated<U> | null>;
