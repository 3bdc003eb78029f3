// Where a request's client address comes from (guest-join rate limits): the TCP peer, which the
// node stamps on every request before Next sees it (actions cannot read the socket), or, with
// TRUST_PROXY, the X-Forwarded-For entry that the trusted proxies added (lib/runtime/request-origin.ts).
import type { IncomingMessage } from "node:http";
import { env } from "@/lib/config/env";
import { forwardedEntry, header, requestScheme } from "@/lib/runtime/request-origin";

/** Set by the node on every request; any value a client sent under this name is overwritten. */
export const PEER_ADDRESS_HEADER = "x-clickbus-peer-address";

/**
 * Stamps the TCP peer on the request and leaves X-Forwarded-Proto and X-Forwarded-Host only as
 * the trusted proxies vouch for them, so Next and Auth.js (which trust those headers, e.g. to
 * pick the `__Secure-` cookie name) see the same origin as our own checks.
 */
export function stampClientHeaders(req: IncomingMessage, trustedProxies = env().TRUST_PROXY): void {
  req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress ?? "unknown";
  req.headers["x-forwarded-proto"] = requestScheme(req.headers, trustedProxies);
  const host = forwardedEntry(header(req.headers, "x-forwarded-host"), trustedProxies);
  if (host === undefined) delete req.headers["x-forwarded-host"];
  else req.headers["x-forwarded-host"] = host;
}

/** "::ffff:10.0.0.1" and "10.0.0.1" are one client. */
function normalized(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice("::ffff:".length) : address;
}

/** The client's address: the peer, or with trusted proxies the X-Forwarded-For entry they added. */
function addressOf(peer: string, forwardedFor: string | undefined, trustedProxies: number): string {
  return normalized(forwardedEntry(forwardedFor, trustedProxies) ?? peer);
}

/** The client address of a request the node stamped (see stampClientHeaders). */
export function clientAddress(headers: Headers, trustedProxies = env().TRUST_PROXY): string {
  return addressOf(
    headers.get(PEER_ADDRESS_HEADER) ?? "unknown",
    headers.get("x-forwarded-for") ?? undefined,
    trustedProxies,
  );
}

/**
 * The client address of a Socket.IO handshake. Engine.io answers its requests before the node's
 * request handler stamps them, so the peer comes from the handshake itself. Read on every
 * connect and disconnect, so without building a `Headers`.
 */
export function handshakeAddress(handshake: {
  address: string;
  headers: Record<string, string | string[] | undefined>;
}): string {
  return addressOf(handshake.address, header(handshake.headers, "x-forwarded-for"), env().TRUST_PROXY);
}
