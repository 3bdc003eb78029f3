// A bus on PostgreSQL without the game: the lib loaded after DATABASE_URL is set, a test-only
// `ledger:<n>` channel kind anyone may read, and a Socket.IO server with the bus's own subscribe
// handling (no handshake). For tests of the store's ordering on PostgreSQL.
import { randomBytes } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io as connectClient } from "socket.io-client";
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import type { BusServer } from "@/lib/bus/io";
import { subscribeOk, within, type BusClient } from "./bus-harness";

export type Ledger = `ledger:${number}`;

declare module "@/lib/bus/events" {
  interface ChannelTypes {
    ledger: { channel: Ledger; events: { held: { n: number }; said: { n: number } } };
  }
}

const ledgerKind: ChannelKind = { kind: "ledger", id: /^\d+$/, authorize: () => true };

/** Loaded after DATABASE_URL is set: db/tables picks the dialect when it is first imported. */
export async function loadLedgerLib() {
  return {
    client: await import("@/db/client"),
    postgres: await import("@/db/postgres"),
    store: await import("@/lib/bus/store"),
    replayRead: await import("@/lib/bus/replay-read"),
    transact: await import("@/lib/realtime/transact"),
    retention: await import("@/lib/bus/retention"),
    io: await import("@/lib/bus/io"),
    kinds: await import("@/lib/bus/channel-kinds"),
    subscriptions: await import("@/lib/bus/subscriptions"),
  };
}
export type LedgerLib = Awaited<ReturnType<typeof loadLedgerLib>>;

/** Sets DATABASE_URL to `url`, loads the lib and opens its engine there. */
export async function openLedgerLib(url: string): Promise<LedgerLib> {
  Object.assign(process.env, { DATABASE_URL: url, LOG_LEVEL: "silent" });
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  const lib = await loadLedgerLib();
  // Opened here: the configuration may have been read (by db/postgres's logger) before the URL was set.
  lib.client.useEngine(lib.postgres.openPostgres(url));
  if (lib.client.engine().dialect !== "postgres")
    throw new Error(`the lib is on ${lib.client.engine().dialect}, not PostgreSQL`);
  return lib;
}

/** `subscriber`: a socket already granted `ledger:1`. */
export type LedgerBus = {
  http: HttpServer;
  io: BusServer;
  subscriber: BusClient;
  connect: () => Promise<BusClient>;
  close: () => Promise<void>;
};

export async function startLedgerBus(lib: LedgerLib): Promise<LedgerBus> {
  const http = createServer();
  const io: BusServer = new Server(http, { serveClient: false });
  lib.kinds.registerChannels({ kinds: [ledgerKind], personalChannel: (id) => `user:${id}` });
  io.on("connection", (socket) => {
    socket.data = { user: { id: 1, username: "ledger" }, credential: { kind: "token", tokenId: 1 }, watchOnly: [] };
    void socket.join("user:1");
    lib.subscriptions.bindSubscriptions(socket);
  });
  lib.io.setBusServer(io);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const connect = async () => {
    const socket: BusClient = connectClient(url, { transports: ["websocket"], forceNew: true, reconnection: false });
    await within(new Promise<void>((resolve) => socket.once("connect", () => resolve())), "connect");
    return socket;
  };
  const subscriber = await connect();
  const ack = await subscribeOk(subscriber, { channels: ["ledger:1"] });
  if (!ack.granted.includes("ledger:1")) throw new Error(`ledger:1 was not granted: ${JSON.stringify(ack)}`);
  return {
    http,
    io,
    subscriber,
    connect,
    close: async () => {
      subscriber.disconnect();
      lib.io.setBusServer(undefined);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
