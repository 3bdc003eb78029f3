// What Next cannot take in is dealt with before it, instead of becoming a 500. A method the app
// has no use for (a web Request refuses TRACE with a thrown TypeError; PROPFIND and the like got
// a bare 400) is answered 405. A path whose percent-encoding does not decode (Next's router throws
// a URIError) is taken literally, its `%` escaped: it names nothing, so every route answers it
// as an unknown record after its usual checks (authentication first), as the click route did.
// A POST to a page (a server action) from a foreign Origin is refused with 403 here, where Next
// would throw and answer 500 (and log an error per forged request).
import type { IncomingMessage, ServerResponse } from "node:http";
import { header, originAllowed, requestOrigin } from "@/lib/runtime/request-origin";

const ROUTED = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const ALLOW = [...ROUTED].join(", ");

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `req` is a POST to a page (not the API, whose routes check Origin themselves and admit
 * bearer scripts from anywhere) carrying an Origin other than this site's. ALLOWED_ORIGINS does
 * not count: Next's own check for server actions, which follows, would refuse those anyway.
 */
function crossSiteActionPost(req: IncomingMessage, method: string, path: string): boolean {
  if (method !== "POST") return false;
  // Judged where it lands: dot segments can take "/api/.." to the lobby page.
  if (new URL(path, "http://guard.invalid").pathname.startsWith("/api/")) return false;
  return !originAllowed(header(req.headers, "origin"), requestOrigin(req.headers), []);
}

/** False when `req` was answered here (405, 403); otherwise it goes on, its path made decodable. */
export function admitRequest(req: IncomingMessage, res: ServerResponse): boolean {
  // Web Requests (and so Next) take a method's case loosely: "get" is GET.
  if (!ROUTED.has((req.method ?? "").toUpperCase())) {
    res.writeHead(405, { allow: ALLOW, "content-length": 0 }).end();
    req.resume();
    return false;
  }
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (crossSiteActionPost(req, (req.method ?? "").toUpperCase(), path)) {
    const body = "Refused: this site's forms and actions can only be used from its own pages.";
    res
      .writeHead(403, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(body) })
      .end(body);
    req.resume();
    return false;
  }
  if (!decodes(path)) req.url = `${path.replace(/%/g, "%25")}${query === -1 ? "" : url.slice(query)}`;
  return true;
}
