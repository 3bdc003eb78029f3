// Which origin (scheme and host) a request reached the site on. The node itself serves plain
// HTTP, so "https" and another host can only come from proxies it trusts (TRUST_PROXY), through
// X-Forwarded-Proto and X-Forwarded-Host; from anyone else those headers are ignored.
import { env } from "@/lib/config/env";
import { log } from "@/lib/log";

/** Request headers as the Fetch API, Node's http module or a Socket.IO handshake carry them. */
export type RequestHeaders = Headers | Record<string, string | string[] | undefined>;

export type Scheme = "http" | "https";

export function header(headers: RequestHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * The entry of a comma-separated forwarding header that the outermost trusted proxy wrote: with
 * N trusted proxies, each appending, it is the Nth from the right (entries further left came
 * from the client); a shorter list means fewer proxies, and its leftmost entry is the best there is.
 */
export function forwardedEntry(value: string | undefined, trustedProxies: number): string | undefined {
  if (trustedProxies === 0) return undefined;
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries[Math.max(0, entries.length - trustedProxies)];
}

export function requestScheme(headers: RequestHeaders, trustedProxies = env().TRUST_PROXY): Scheme {
  return forwardedEntry(header(headers, "x-forwarded-proto"), trustedProxies)?.toLowerCase() === "https"
    ? "https"
    : "http";
}

export function requestHost(headers: RequestHeaders, trustedProxies = env().TRUST_PROXY): string | undefined {
  return forwardedEntry(header(headers, "x-forwarded-host"), trustedProxies) ?? header(headers, "host");
}

/** "https://example.org" for the request, or null without a usable Host. */
export function requestOrigin(headers: RequestHeaders, trustedProxies = env().TRUST_PROXY): string | null {
  const host = requestHost(headers, trustedProxies);
  if (!host) return null;
  try {
    return new URL(`${requestScheme(headers, trustedProxies)}://${host}`).origin;
  } catch {
    return null;
  }
}

/**
 * Whether `origin` is the request's own origin (scheme and host: an http:// page may not act on
 * the https:// site) or listed in ALLOWED_ORIGINS. A missing Origin is allowed here; callers
 * that must refuse it (cookie-authenticated API writes) do so themselves.
 */
export function originAllowed(
  origin: string | undefined,
  siteOrigin: string | null,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  const ok = (siteOrigin !== null && parsed.origin === siteOrigin) || allowed.includes(parsed.origin);
  if (!ok && siteOrigin !== null) warnIfBehindUntrustedTlsProxy(parsed, new URL(siteOrigin));
  return ok;
}

let warnedAboutProxy = false;

/**
 * An https:// page of this very host, seen by the node as plain HTTP, is a TLS proxy the node does
 * not trust: every form, socket and API write will be refused. Said once, for the operator.
 */
function warnIfBehindUntrustedTlsProxy(origin: URL, site: URL): void {
  if (
    warnedAboutProxy ||
    origin.protocol !== "https:" ||
    site.protocol !== "http:" ||
    origin.hostname !== site.hostname
  )
    return;
  warnedAboutProxy = true;
  log.warn(
    { origin: origin.origin, seenAs: site.origin },
    "refused an https:// Origin of this host seen over plain HTTP: behind a TLS proxy, set TRUST_PROXY and have the proxy send X-Forwarded-Proto",
  );
}
