// Who is calling the API: an `Authorization: Bearer <api token>` header, or else the Auth.js
// session cookie. A request that presents a bearer token is judged by that token alone.
// Reads only the request itself (no Next request scope), so the node can answer a route
// without Next (lib/server/direct-routes.ts).
import { userForApiToken } from "@/lib/auth/api-tokens";
import { sessionFromCookieHeader } from "@/lib/auth/session-token";
import { requestScheme } from "@/lib/runtime/request-origin";
import type { SessionUser } from "@/lib/auth/users";
import { AppError } from "@/lib/runtime/app-error";

export type ApiCaller = { user: SessionUser; via: "bearer" | "cookie" };

const BEARER = /^Bearer +(\S+) *$/i;

function unauthorized(message: string): AppError {
  return new AppError("unauthorized", message, { headers: { "www-authenticate": 'Bearer realm="clickbus"' } });
}

export async function authenticate(request: Request): Promise<ApiCaller> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    // No fallback to the cookie: a script with a wrong token must hear so, not act as someone else.
    const token = BEARER.exec(authorization)?.[1];
    const user = token ? await userForApiToken(token) : null;
    if (!user) throw unauthorized("The API token is missing, malformed, unknown or revoked.");
    return { user, via: "bearer" };
  }
  // The same decode and session-epoch check as Auth.js's own `auth()`: route handlers cannot
  // refresh the cookie anyway, so nothing is lost by not going through it.
  const user = (
    await sessionFromCookieHeader(request.headers.get("cookie") ?? undefined, requestScheme(request.headers))
  )?.user;
  if (!user) throw unauthorized("Sign in, or send an API token as `Authorization: Bearer <token>`.");
  return { user, via: "cookie" };
}
