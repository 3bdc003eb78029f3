// Reads an Auth.js session from a raw Cookie header, for every caller (pages, actions, the API,
// the Socket.IO handshake). Decodes with Auth.js's own JWT decode and checks the session epoch.
import { decode } from "next-auth/jwt";
import { z } from "zod";
import { env } from "@/lib/config/env";
import type { Scheme } from "@/lib/runtime/request-origin";
import { processSingleton } from "@/lib/runtime/process-singleton";
import { userWithEpoch, type SessionUser } from "./users";

/**
 * Auth.js's cookie name for the scheme, and the only one accepted on it: under HTTPS a plain
 * cookie could have been planted over HTTP by anyone on the network (`__Secure-` ones can only
 * be set over HTTPS), and over HTTP a browser sends no `__Secure-` cookie of this site.
 */
export function sessionCookieName(scheme: Scheme): string {
  return scheme === "https" ? "__Secure-authjs.session-token" : "authjs.session-token";
}

const tokenClaims = z.object({ sub: z.string().regex(/^\d+$/), epoch: z.number().int(), exp: z.number() });
type SessionClaims = z.infer<typeof tokenClaims>;

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "session-claims": {
      recent: Map<string, SessionClaims>;
      decoding: Map<string, Promise<SessionClaims | null>>;
    };
  }
}

/**
 * Claims of tokens decoded lately. A token's claims never change, and decoding one (HKDF, then
 * JWE decryption) was the largest cost of a socket handshake and a fifth of a click action; a
 * player's many tabs and batches send the same token again and again. Only valid tokens are
 * kept, expiry is checked on every hit, and the epoch is checked against the database on every
 * use, so "sign out everywhere" still ends a session at its next request. One cache per process
 * (the Next bundles have their own copy of this module): a phone's socket handshake decodes its
 * token before its first tap, and that first tap must not decode it again (a room starting at
 * once decoded a thousand tokens in its first seconds and every action waited on them).
 */
const claimsCache = () =>
  processSingleton("session-claims", () => ({
    recent: new Map<string, SessionClaims>(),
    decoding: new Map<string, Promise<SessionClaims | null>>(),
  }));
const MAX_RECENT_CLAIMS = 10_000;

export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 1) continue;
    const name = part.slice(0, at).trim();
    try {
      cookies.set(name, decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      // A cookie that is not valid URI encoding is simply not ours.
    }
  }
  return cookies;
}

/**
 * Decodes under way are shared by key (`decoding`): the tabs of a browser coming back after an
 * outage, or a crowd of sockets of one user, arrive together, before the first decode has filled
 * the cache.
 */
function decodeClaims(token: string, salt: string): Promise<SessionClaims | null> {
  const { recent: recentClaims, decoding } = claimsCache();
  const key = `${salt}\n${token}`;
  const known = recentClaims.get(key);
  if (known) {
    recentClaims.delete(key);
    if (known.exp * 1000 <= Date.now()) return Promise.resolve(null);
    recentClaims.set(key, known);
    return Promise.resolve(known);
  }
  let pending = decoding.get(key);
  if (!pending) {
    pending = decodeAndRemember(key, token, salt).finally(() => decoding.delete(key));
    decoding.set(key, pending);
  }
  return pending;
}

async function decodeAndRemember(key: string, token: string, salt: string): Promise<SessionClaims | null> {
  const { recent: recentClaims } = claimsCache();
  try {
    const claims = tokenClaims.safeParse(await decode({ token, secret: env().AUTH_SECRET, salt }));
    if (!claims.success) return null;
    recentClaims.set(key, claims.data);
    if (recentClaims.size > MAX_RECENT_CLAIMS) {
      const oldest = recentClaims.keys().next();
      if (!oldest.done) recentClaims.delete(oldest.value);
    }
    return claims.data;
  } catch {
    // Tampered or foreign token: treated exactly like no token.
    return null;
  }
}

/**
 * A live session: its user, the session epoch it was issued under (the browser's bus is tied to
 * it, lib/bus/client/identity.ts) and when its token expires (ms since the epoch).
 */
export type CookieSession = { user: SessionUser; epoch: number; expiresAt: number };

/** The session of a Cookie header sent over `scheme`, or null when absent, invalid, expired or signed out. */
export async function sessionFromCookieHeader(
  header: string | undefined,
  scheme: Scheme,
): Promise<CookieSession | null> {
  const salt = sessionCookieName(scheme);
  const token = parseCookieHeader(header).get(salt);
  if (!token) return null;
  const claims = await decodeClaims(token, salt);
  const user = claims ? await userWithEpoch(Number(claims.sub), claims.epoch) : null;
  return claims && user ? { user, epoch: claims.epoch, expiresAt: claims.exp * 1000 } : null;
}
