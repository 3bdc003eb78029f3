// The node's HTTP metrics, on the bus's registry: how long each request took from arriving to its
// last byte written, by kind, and how long a server action took to know its caller before its
// work. Set beside an answer time a client measured, they say where a slow answer waited: in the
// node's handling, in the action's session, or before the node read the request at all.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Histogram } from "prom-client";
import { metrics } from "@/lib/bus/metrics";
import { processSingleton } from "@/lib/runtime/process-singleton";

type RequestKind = "action" | "api" | "page" | "other";

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "http-request-histogram": Histogram<"kind">;
    "action-session-histogram": Histogram<"action">;
  }
}

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function requestHistogram(): Histogram<"kind"> {
  return processSingleton(
    "http-request-histogram",
    () =>
      new Histogram({
        name: "clickbus_http_request_seconds",
        help: "Time from a request reaching the node to its answer's last byte, by kind",
        labelNames: ["kind"],
        buckets: BUCKETS,
        registers: [metrics().registry],
      }),
  );
}

export function actionSessionHistogram(): Histogram<"action"> {
  return processSingleton(
    "action-session-histogram",
    () =>
      new Histogram({
        name: "clickbus_action_session_seconds",
        help: "Time for a server action to know its caller, before its work",
        labelNames: ["action"],
        buckets: BUCKETS,
        registers: [metrics().registry],
      }),
  );
}

function kindOf(req: IncomingMessage): RequestKind {
  if (req.url?.startsWith("/api/")) return "api";
  if (req.method === "POST" && req.headers["next-action"] !== undefined) return "action";
  if (req.method === "GET") return "page";
  return "other";
}

/** Times `req` until its answer is written (or the connection ends first). */
export function timeRequest(req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  const kind = kindOf(req);
  res.once("close", () => requestHistogram().observe({ kind }, (performance.now() - started) / 1000));
}
