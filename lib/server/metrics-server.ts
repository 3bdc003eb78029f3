// The second listener for METRICS_PORT: `GET /metrics` in the Prometheus text format, on its own
// interface (127.0.0.1 by default) so the public port never exposes it.
import { createServer, type Server } from "node:http";
import { metrics } from "@/lib/bus/metrics";
import { log } from "@/lib/log";

export function startMetricsServer(port: number, host: string): Promise<Server> {
  // prom-client's process CPU counters count from the registry's creation: made here rather than at
  // the first scrape, they cover the node's whole life (a first scrape could otherwise read 0 s).
  metrics();
  const server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    const { registry } = metrics();
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      (error: unknown) => {
        log.warn({ err: error }, "collecting metrics failed");
        res.writeHead(500, { "content-type": "text/plain" }).end("metrics failed\n");
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === "EADDRINUSE" ? `METRICS_PORT ${port} is already in use` : error.message)),
    );
    server.listen(port, host, () => {
      log.info({ url: `http://${host}:${port}/metrics` }, "metrics are served");
      resolve(server);
    });
  });
}
