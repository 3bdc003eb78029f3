// CSRF defence of cookie-authenticated writes: a mutation riding on the session cookie must
// come with an Origin that is this site (or listed in ALLOWED_ORIGINS). Bearer calls need none:
// a browser never attaches an API token by itself, so they cannot be forged cross-site.
import { env } from "@/lib/config/env";
import { originAllowed, requestOrigin } from "@/lib/runtime/request-origin";
import { AppError } from "@/lib/runtime/app-error";
import type { ApiCaller } from "./authenticate";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function requireAllowedOrigin(request: Request, caller: ApiCaller): void {
  if (caller.via === "bearer" || SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get("origin");
  // Unlike the socket handshake, a missing Origin is refused: browsers send it on every
  // cross-site POST/PATCH/DELETE, so only a non-browser client omits it, and those use tokens.
  if (origin === null || !originAllowed(origin, requestOrigin(request.headers), env().ALLOWED_ORIGINS)) {
    throw new AppError(
      "forbidden_origin",
      "Cookie-authenticated changes need a same-origin Origin header; scripts should use an API token.",
    );
  }
}
