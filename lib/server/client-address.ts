// Where a request's client address comes from (guest-join rate limits): the TCP peer, which the
// node stamps on every request before Next sees it (actions cannot read the socket), or, with
// TRUST_PROXY, the X-Forwarded-For entry that the trusted proxies added.
import type { IncomingMessage } from "node:http";
import { env } from "@/lib/config/env";

/** Set by the node on every request; any value a client sent under this name is overwritten. */
export const PEER_ADDRESS_HEADER = "x-clickbus-peer-address";

export function stampPeerAddress(req: IncomingMessage): void {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
}

/** "::ffff:10.0.0.1" and "10.0.0.1" are one client. */
function normalized(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice("::ffff:".length) : address;
}

/**
 * The client's address. With N trusted proxies the client is the Nth X-Forwarded-For entry from
 * the right (each proxy appends the peer it saw); a shorter list means fewer proxies were passed,
 * and its leftmost entry is the best there is.
 */
function addressOf(peer: string, forwardedFor: string | null, trustedProxies: number): string {
  if (trustedProxies === 0) return normalized(peer);
  const forwarded = (forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return normalized(peer);
  return normalized(forwarded[Math.max(0, forwarded.length - trustedProxies)] ?? peer);
}

/** The client address of a request the node stamped (see stampPeerAddress). */
export function clientAddress(headers: Headers, trustedProxies = env().TRUST_PROXY): string {
  return addressOf(headers.get(PEER_ADDRESS_HEADER) ?? "unknown", headers.get("x-forwarded-for"), trustedProxies);
}

/**
 * The client address of a Socket.IO handshake. Engine.io answers its requests before the node's
 * request handler stamps them, so the peer comes from the handshake itself. Read on every
 * connect and disconnect, so without building a `Headers`.
 */
export function handshakeAddress(handshake: { address: string; headers: Record<string, string | string[] | undefined> }): string {
  const forwarded = handshake.headers["x-forwarded-for"];
  return addressOf(handshake.address, Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? null), env().TRUST_PROXY);
}
