// Starts one Clickbus node: configuration, migrations, Next, the bus on the same port, and a
// graceful shutdown (stop accepting, close sockets, close the database) on SIGINT/SIGTERM.
import { createServer, type Server } from "node:http";
import next from "next";
import type { Socket } from "socket.io";
import { closeDatabase, database, migrateDatabase } from "@/db/client";
import { redactUrl } from "@/lib/runtime/redact-url";
import { env, type Env } from "@/lib/config/env";
import { attachBus, BUS_PATH } from "@/lib/bus/attach";
import { joinCluster } from "@/lib/bus/cluster";
import { seedDemo, DEMO_PASSWORD, DEMO_USERS } from "@/lib/games/demo-seed";
import { startHistoryPruning } from "@/lib/games/history-pruning";
import { startIdempotencyPruning } from "@/lib/api/idempotency";
import { shareRateLimits } from "@/lib/runtime/keyed-rate-limit";
import { startGuestPruning } from "@/lib/games/guest-pruning";
import { startLobbyStats } from "@/lib/games/lobby-stats";
import { startRoundTimer } from "@/lib/games/round-timer";
import { log } from "@/lib/log";
import { authenticateSocket } from "@/lib/realtime/authenticate";
import { appChannels } from "./channels";
import { handshakeAddress, stampClientHeaders } from "./client-address";
import { directRoute } from "./direct-routes";
import { answerOutageAs503 } from "./outage-status";
import { admitRequest } from "./request-guard";
import { timeRequest } from "./request-metrics";
import { applySecurityHeaders } from "./security-headers";
import { holdConnections, LISTEN_BACKLOG } from "./connections";
import { openAcceptLanes } from "./accept-lanes";
import { startMetricsServer } from "./metrics-server";
import { warmClickPath } from "./warm-up";

export type StartOptions = { dev: boolean };

function listenOrExit(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === "EADDRINUSE" ? `port ${port} is already in use (set PORT to another port)` : error.message;
      console.error(`Clickbus cannot start: ${reason}`);
      process.exit(1);
    });
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => resolve());
  });
}

async function startMetricsOrExit(port: number, host: string): Promise<Server> {
  try {
    return await startMetricsServer(port, host);
  } catch (error) {
    console.error(`Clickbus cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

/** The driver's own words: the innermost cause (Drizzle wraps a failed query), or each of an AggregateError's. */
function driverMessage(error: unknown): string {
  let root = error;
  while (root instanceof Error && root.cause instanceof Error) root = root.cause;
  if (root instanceof AggregateError && root.errors.length > 0) return root.errors.map(driverMessage).join("; ");
  if (!(root instanceof Error)) return String(root);
  const code = "code" in root && typeof root.code === "string" ? root.code : undefined;
  return root.message || code || root.name;
}

/**
 * Migrates the database, or exits with one line naming it (the password redacted): an operator
 * needs where and why, not a stack trace. node-postgres gives up connecting after the pool's
 * connect timeout, so an unreachable server fails the start within seconds.
 */
async function migrateOrExit(config: Env): Promise<void> {
  try {
    await migrateDatabase();
  } catch (error) {
    const where =
      config.DATABASE_URL === undefined
        ? `DATABASE_PATH=${config.DATABASE_PATH}`
        : `DATABASE_URL=${redactUrl(config.DATABASE_URL)}`;
    let reason = driverMessage(error);
    // A driver could quote the URL it was given; never print its password.
    const password = config.DATABASE_URL === undefined ? "" : decodeURIComponent(new URL(config.DATABASE_URL).password);
    if (password) reason = reason.split(password).join("***");
    console.error(`Clickbus cannot start: the database at ${where} is unreachable: ${reason}`);
    process.exit(1);
  }
}

export async function startNode({ dev }: StartOptions): Promise<void> {
  const config = env();
  await migrateOrExit(config);
  if (config.CLICKBUS_DEMO) await seedDemo();

  // Next adds its own `upgrade` listener (for HMR in development) to the server of the first
  // request it handles, and then resolves its routes for every WebSocket upgrade, the bus's too,
  // leaving listeners and an AbortSignal on each socket for its lifetime (a fifth of a bus
  // socket's heap). Given a server that never listens, it listens there; only upgrades for
  // other paths than the bus's are passed on to it.
  const nextUpgrades = createServer();
  const app = next({ dev, hostname: config.HOST, port: config.PORT, httpServer: nextUpgrades });
  await app.prepare();
  const handle = app.getRequestHandler();
  const httpServer = createServer((req, res) => {
    timeRequest(req, res);
    applySecurityHeaders(req, res, { dev });
    if (!admitRequest(req, res)) return;
    stampClientHeaders(req);
    const direct = directRoute(req);
    if (direct) return void direct(res);
    answerOutageAs503(res);
    void handle(req, res);
  });
  holdConnections(httpServer);
  httpServer.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith(`${BUS_PATH}/`)) nextUpgrades.emit("upgrade", req, socket, head);
  });
  const caps = {
    socketsPerUser: config.SOCKETS_PER_USER,
    socketsPerAddress: config.SOCKETS_PER_ADDRESS,
    clientAddress: (socket: Socket) => handshakeAddress(socket.handshake),
  };
  const bus = attachBus(httpServer, {
    allowedOrigins: config.ALLOWED_ORIGINS,
    authenticate: authenticateSocket,
    database,
    channels: appChannels,
    caps,
  });
  const cluster = config.REDIS_URL
    ? joinCluster(bus.io, { redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX })
    : undefined;
  const leaveCluster = cluster?.leave ?? (async () => {});
  // Every node then spends from one budget per limit (lib/runtime/keyed-rate-limit.ts).
  if (cluster) shareRateLimits({ client: cluster.redis, prefix: config.REDIS_PREFIX });
  const stopStats = startLobbyStats();
  const stopHistoryPruning = startHistoryPruning();
  const stopIdempotencyPruning = startIdempotencyPruning();
  const stopPruning = startGuestPruning();
  const stopRounds = startRoundTimer();
  // Serve once the bus spans the cluster (bounded: without Redis the node serves alone).
  await cluster?.linked;
  await listenOrExit(httpServer, config.PORT, config.HOST);
  const metricsServer =
    config.METRICS_PORT === undefined ? undefined : await startMetricsOrExit(config.METRICS_PORT, config.METRICS_HOST);

  const url = `http://${config.HOST}:${config.PORT}`;
  log.info({ url, dev }, "Clickbus is listening");
  console.log(`\n  Clickbus is running at ${url}\n`);
  if (config.CLICKBUS_DEMO) console.log(`  Demo log-ins: ${DEMO_USERS.join(", ")} — password "${DEMO_PASSWORD}"\n`);
  // Development compiles each route on demand: there is nothing to warm.
  if (!dev)
    warmClickPath(httpServer)
      .then((warmed) => log.info(warmed, "warmed the click path"))
      .catch((error: unknown) =>
        log.warn({ err: error }, "the click path's warm-up failed; the first tap will load it"),
      );

  let closeLanes = () => {};
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    closeLanes();
    stopStats();
    stopHistoryPruning();
    stopIdempotencyPruning();
    metricsServer?.close();
    stopPruning();
    stopRounds();
    const force = setTimeout(() => process.exit(0), 5000);
    force.unref();
    // Closing the bus unsubscribes through Redis, which waits forever while Redis is away.
    const closed = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
    Promise.race([bus.close(), closed])
      .then(leaveCluster)
      .catch((error: unknown) => log.warn({ err: error }, "error while closing"))
      .then(closeDatabase)
      .catch((error: unknown) => log.warn({ err: error }, "error while closing the database"))
      .finally(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  // Opened once the node serves and stops cleanly: without its lanes it still serves, only
  // accepting one connection per busy turn.
  closeLanes = await openAcceptLanes(httpServer, LISTEN_BACKLOG).catch((error: unknown) => {
    log.warn({ err: error }, "accepting from one descriptor: the accept lanes did not open");
    return () => {};
  });
}
