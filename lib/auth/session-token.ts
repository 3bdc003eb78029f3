// Reads an Auth.js session from a raw Cookie header, for callers outside Next's request scope
// (the Socket.IO handshake). Decodes with Auth.js's own JWT decode and checks the session epoch.
import { decode } from "next-auth/jwt";
import { z } from "zod";
import { env } from "@/lib/config/env";
import { userWithEpoch, type SessionUser } from "./users";

export const SESSION_COOKIE_NAMES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

const tokenClaims = z.object({ sub: z.string().regex(/^\d+$/), epoch: z.number().int() });

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

/** The signed-in user of a Cookie header, or null when absent, invalid, expired or signed out. */
export async function userFromCookieHeader(header: string | undefined): Promise<SessionUser | null> {
  const cookies = parseCookieHeader(header);
  for (const salt of SESSION_COOKIE_NAMES) {
    const token = cookies.get(salt);
    if (!token) continue;
    try {
      const claims = tokenClaims.safeParse(await decode({ token, secret: env().AUTH_SECRET, salt }));
      if (claims.success) return userWithEpoch(Number(claims.data.sub), claims.data.epoch);
    } catch {
      // Tampered or foreign token: treated exactly like no token.
    }
  }
  return null;
}
