// The status of a page Next failed to render while the database is away: 503 with Retry-After
// (try again soon, the fault is not the page's) instead of 500; the body, the error page, is kept.
import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { databaseOutageNow } from "@/lib/runtime/database-outage";

type Headers = OutgoingHttpHeaders | OutgoingHttpHeader[];

/** The same Retry-After as the API's 503 (lib/runtime/database-outage.ts). */
const RETRY_AFTER_SECONDS = 2;

/**
 * Makes `res` answer 503 when it is about to answer 500 during an outage. Next sets the status and
 * lets Node write the head (an explicit or implicit `writeHead`), so the head is where to change it.
 */
export function answerOutageAs503(res: ServerResponse, outageNow: () => boolean = databaseOutageNow): void {
  const writeHead = res.writeHead.bind(res);
  res.writeHead = (statusCode: number, reasonOrHeaders?: string | Headers, headers?: Headers) => {
    let status = statusCode;
    let reason = reasonOrHeaders;
    if (statusCode === 500 && outageNow()) {
      status = 503;
      if (typeof reason === "string") reason = "Service Unavailable";
      res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
    }
    return typeof reason === "string" ? writeHead(status, reason, headers) : writeHead(status, reason);
  };
}
