// The signed-in user of the current request (server components, actions). Reads the session
// cookie with the same decode and epoch check as the socket handshake and the API: Auth.js's own
// `auth()` runs its whole request handler and re-encrypts a cookie it then drops, which was a
// fifth of the CPU of a click action (docs/benchmarks.md).
import { headers } from "next/headers";
import { cache } from "react";
import { redirect } from "next/navigation";
import { noteIfDatabaseUnavailable } from "@/lib/runtime/database-outage";
import { requestScheme } from "@/lib/runtime/request-origin";
import { sessionFromCookieHeader, type CookieSession } from "./session-token";
import type { SessionUser } from "./users";

/**
 * The session with its epoch (the root layout ties the tab's bus to it, lib/bus/client/identity.ts).
 * Cached per request (React's `cache`), so a page and its components decode the cookie once.
 */
export const currentSession = cache(async (): Promise<CookieSession | null> => {
  const requestHeaders = await headers();
  try {
    return await sessionFromCookieHeader(requestHeaders.get("cookie") ?? undefined, requestScheme(requestHeaders));
  } catch (error) {
    // Known here, before the render fails, the outage makes the page's answer 503, not 500
    // (lib/server/outage-status.ts); Next's own report of the failure may come after the status.
    noteIfDatabaseUnavailable(error);
    throw error;
  }
});

export async function currentUser(): Promise<SessionUser | null> {
  return (await currentSession())?.user ?? null;
}

/** The signed-in user, or a redirect to the sign-in page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return user;
}
