// What Next cannot take in is dealt with before it, instead of becoming a 500. A method the app
// has no use for (a web Request refuses TRACE with a thrown TypeError; PROPFIND and the like got
// a bare 400) is answered 405. A path whose percent-encoding does not decode (Next's router throws
// a URIError) is taken literally, its `%` escaped: it names nothing, so every route answers it
// as an unknown record after its usual checks (authentication first), as the click route did.
import type { IncomingMessage, ServerResponse } from "node:http";

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

/** False when `req` was answered here (405); otherwise it goes on, its path made decodable. */
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
  if (!decodes(path)) req.url = `${path.replace(/%/g, "%25")}${query === -1 ? "" : url.slice(query)}`;
  return true;
}
