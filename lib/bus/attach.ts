// Attaches the bus to an HTTP server: registers the app's channel kinds, creates the Socket.IO
// server on /socket.io, checks each handshake, puts every socket in its user's personal channel,
// and prunes stored notifications.
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { db } from "@/db/client";
import { log } from "@/lib/log";
import { personalChannel, registerChannels, type ChannelSetup } from "./channel-kinds";
import { ConnectionCaps, type ConnectionCapOptions } from "./connection-caps";
import { handshakeMiddleware } from "./handshake";
import { setBusServer, type BusServer } from "./io";
import { MAX_FRAME_BYTES } from "./protocol";
import { startPeriodic } from "@/lib/runtime/periodic";
import { expireWithSession } from "./revoke";
import { bindSubscriptions } from "./subscriptions";
import { DEFAULT_RETENTION, pruneNotifications, type RetentionPolicy } from "./retention";

const PRUNE_EVERY_MS = 60_000;

/**
 * `channels`: the app's channel kinds and the personal channel each socket joins on connect;
 * `caps`: sockets per user and per client address on this node (none when omitted).
 */
export type BusOptions = { allowedOrigins: readonly string[]; channels: ChannelSetup; caps?: ConnectionCapOptions; retention?: RetentionPolicy };

export function attachBus(httpServer: HttpServer, options: BusOptions): { io: BusServer; close: () => Promise<void> } {
  registerChannels(options.channels);
  const io: BusServer = new Server(httpServer, { path: "/socket.io", maxHttpBufferSize: MAX_FRAME_BYTES, serveClient: false });
  io.use(handshakeMiddleware(options.allowedOrigins, options.caps && new ConnectionCaps(options.caps)));
  io.on("connection", (socket) => {
    socket.data.watchOnly = [];
    expireWithSession(socket);
    socket.join(personalChannel(socket.data.user.id));
    bindSubscriptions(socket);
  });
  setBusServer(io);

  const stopPruning = startPeriodic({
    everyMs: PRUNE_EVERY_MS,
    failure: "pruning bus notifications failed",
    run: () => {
      const removed = pruneNotifications(db(), options.retention ?? DEFAULT_RETENTION);
      if (removed > 0) log.debug({ removed }, "pruned bus notifications");
    },
  });

  return {
    io,
    close: async () => {
      stopPruning();
      setBusServer(undefined);
      await io.close();
    },
  };
}
