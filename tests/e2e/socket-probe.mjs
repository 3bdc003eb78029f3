// Preloaded into the e2e server (NODE_OPTIONS="--import <this>") until the server has its own
// metrics (SPEC §10): answers GET /metrics on 127.0.0.1:SOCKET_PROBE_PORT with the one gauge the
// browser tests read, `clickbus_sockets`, counted from the live Socket.IO server of that very
// process (the bus keeps it on globalThis, lib/runtime/process-singleton.ts). Same name and text
// format as the real metrics, so tests/e2e/socket-count.ts switches to them in one line.
// Plain JavaScript because NODE_OPTIONS imports run before `--import tsx` registers TypeScript.
import { createServer } from "node:http";

const port = Number(process.env.SOCKET_PROBE_PORT);

if (port > 0) {
  const probe = createServer((request, response) => {
    const io = globalThis.__clickbus?.get("bus-server");
    if (request.url !== "/metrics" || !io) {
      response.writeHead(404).end();
      return;
    }
    const sockets = io.of("/").sockets.size;
    response.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    response.end(`# TYPE clickbus_sockets gauge\nclickbus_sockets ${sockets}\n`);
  });
  probe.listen(port, "127.0.0.1");
  probe.unref();
}
