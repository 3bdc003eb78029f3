// The API routes a node answers itself, before Next: the click endpoint, which scripts and
// workshop bots hit many times a second. Same web-standard handler as its Next route file, without
// Next's per-request pipeline, which was half the CPU of a click (docs/benchmarks.md).
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { postClicks, type ClickRouteParams } from "@/lib/api/click-route";
import { MAX_DISCARD_BYTES } from "@/lib/api/json-body";
import type { HandlerContext } from "@/lib/api/route";
import { log } from "@/lib/log";

type DirectRoute<P> = {
  method: string;
  /** Matches the whole path (no query); anything it does not match is left to Next. */
  path: RegExp;
  params: (match: RegExpExecArray) => P;
  handler: (request: Request, context: HandlerContext<P>) => Promise<Response>;
};

const clicks: DirectRoute<ClickRouteParams> = {
  method: "POST",
  path: /^\/api\/games\/([^/]+)\/clicks$/,
  params: (match) => ({ id: decodedSegment(match[1] ?? "") }),
  handler: postClicks,
};

/**
 * A path segment decoded as Next decodes route params. An undecodable one stays as it is: it
 * names no record, so the handler answers it like any unknown id (Next would answer a 500).
 */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export type DirectResponder = (res: ServerResponse) => Promise<void>;

/** Only gives the Request an absolute URL: handlers read the path, never this host. */
const BASE_URL = "http://localhost";

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
  // The handler reads the body as a stream, so its size cap applies while it arrives.
  const body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
  // `duplex` is required by Node for a streamed body and missing from TypeScript's RequestInit.
  const init: RequestInit & { duplex: "half" } = { method: req.method, headers, body, duplex: "half" };
  return new Request(`${BASE_URL}${req.url ?? "/"}`, init);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: OutgoingHttpHeaders = { "content-length": body.byteLength };
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && name !== "content-length") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  res.writeHead(response.status, headers).end(body);
}

/**
 * Node reuses a kept-alive connection only once the request is read to its end, and a handler may
 * answer without reading it all (a 413 on a declared Content-Length): drop the rest, as Node
 * does for a body nobody touched, but close the connection past MAX_DISCARD_BYTES.
 */
function dropUnreadBody(req: IncomingMessage): void {
  if (req.complete) return;
  let dropped = 0;
  // The Request's stream stops here; its reader, if any, still sees the end and finishes.
  req.removeAllListeners("data");
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.byteLength;
    if (dropped > MAX_DISCARD_BYTES) req.destroy();
  });
  req.resume();
}

function failed(res: ServerResponse, error: unknown, path: string): void {
  log.error({ err: error, path }, "direct route failed");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: "internal", message: "Something went wrong on our side." });
  res.writeHead(500, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}

/** The responder for `req` when it is a direct route, else null (Next answers it). */
export function directRoute(req: IncomingMessage): DirectResponder | null {
  if (req.method !== clicks.method || !req.url) return null;
  const query = req.url.indexOf("?");
  const path = query === -1 ? req.url : req.url.slice(0, query);
  const match = clicks.path.exec(path);
  if (!match) return null;
  const params = clicks.params(match);
  let request: Request;
  try {
    request = toRequest(req);
  } catch {
    // A header the web Headers class refuses but Node accepted: Next copes with it its own way.
    return null;
  }
  return async (res) => {
    try {
      await send(res, await clicks.handler(request, { params: Promise.resolve(params) }));
    } catch (error) {
      failed(res, error, path);
    } finally {
      dropUnreadBody(req);
    }
  };
}
