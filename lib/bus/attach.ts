// Attaches the bus to an HTTP server: registers the app's channel kinds, creates the Socket.IO
// server on /socket.io, checks each handshake, puts every socket in its user's personal channel,
// and prunes stored notifications.
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { log } from "@/lib/log";
import { setBusDatabase, type BusDatabase } from "./bus-database";
import { personalChannel, registerChannels, type ChannelSetup } from "./channel-kinds";
import { ConnectionCaps, type ConnectionCapOptions } from "./connection-caps";
import type { Authenticate, BusUser } from "./bus-user";
import { handshakeMiddleware, registerAuthenticate } from "./handshake";
import { setBusServer, type BusServer, type BusSocket } from "./io";
import { MAX_FRAME_BYTES } from "./protocol";
import { startPeriodic } from "@/lib/runtime/periodic";
import { expireWithSession, forgetExpiry } from "./session-expiry";
import { announceDeparture, bindSubscriptions } from "./subscriptions";
import { DEFAULT_RETENTION, pruneNotifications, type RetentionPolicy } from "./retention";
import { SWEEP_CONFLATED_EVERY_MS, sweepConflated } from "./conflation-sweep";
import { busParser } from "./wire-encoder";

const PRUNE_EVERY_MS = 60_000;
/** Where Socket.IO answers (engine.io takes every request under `${BUS_PATH}/`). */
export const BUS_PATH = "/socket.io";

/**
 * `authenticate`: who a handshake is (the app's sessions, tokens: the bus reads none itself);
 * `database`: where notifications are stored, the app's own (bus-database.ts);
 * `channels`: the app's channel kinds and the personal channel each socket joins on connect,
 * written for the same user type; `caps`: sockets per user and per client address on this node
 * (none when omitted).
 */
export type BusOptions<U extends BusUser = BusUser> = {
  allowedOrigins: readonly string[];
  authenticate: Authenticate<U>;
  database: BusDatabase;
  channels: ChannelSetup<U>;
  caps?: ConnectionCapOptions;
  retention?: RetentionPolicy;
};

export function attachBus<U extends BusUser>(
  httpServer: HttpServer,
  options: BusOptions<U>,
): { io: BusServer; close: () => Promise<void> } {
  setBusDatabase(options.database);
  registerChannels(options.channels);
  registerAuthenticate(options.authenticate);
  const caps = options.caps && new ConnectionCaps(options.caps);
  // One listener for everything a departing socket undoes, shared by all sockets (called with
  // the socket as `this`), so an idle socket carries no closure of its own for it.
  function onDisconnecting(this: BusSocket): void {
    announceDeparture(this);
    forgetExpiry(this);
    caps?.release(this);
  }
  const io: BusServer = new Server(httpServer, {
    path: BUS_PATH,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    serveClient: false,
    parser: busParser,
  });
  io.use(handshakeMiddleware(options.allowedOrigins, caps));
  io.on("connection", (socket) => {
    socket.data.watchOnly = [];
    expireWithSession(socket);
    // The in-memory and Redis adapters join this node's socket at once; their result is not a promise.
    void socket.join(personalChannel(socket.data.user.id));
    bindSubscriptions(socket);
    socket.on("disconnecting", onDisconnecting);
  });
  setBusServer(io);

  const stopPruning = startPeriodic({
    everyMs: PRUNE_EVERY_MS,
    failure: "pruning bus notifications failed",
    run: async () => {
      const removed = await pruneNotifications(options.retention ?? DEFAULT_RETENTION);
      if (removed > 0) log.debug({ removed }, "pruned bus notifications");
    },
  });

  const stopSweeping = startPeriodic({
    everyMs: SWEEP_CONFLATED_EVERY_MS,
    runNow: true,
    failure: "merging conflated announcements left waiting failed",
    run: async () => {
      const swept = await sweepConflated();
      if (swept > 0) log.info({ swept }, "merged conflated announcements a node left waiting");
    },
  });

  return {
    io,
    close: async () => {
      stopPruning();
      stopSweeping();
      setBusServer(undefined);
      await io.close();
    },
  };
}
