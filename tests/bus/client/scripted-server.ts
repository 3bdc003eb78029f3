// A Socket.IO server playing the bus for the browser-side tests: every subscribe and unsubscribe
// is recorded, and the test scripts the answers (ack replay, `more`, errors, frames after the ack).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket } from "socket.io";
import { io as connectClient } from "socket.io-client";
import { afterAll, afterEach, beforeAll } from "vitest";
import { z } from "zod";
import type { WireNotification } from "@/lib/bus/events";
import { BusClient, type BusClientOptions, type BusSocket } from "@/lib/bus/client/bus-client";
import { within } from "../../support/bus-harness";

const subscribePayload = z.object({
  channels: z.array(z.string()),
  last: z.number().optional(),
  presence: z.boolean().optional(),
});
const unsubscribePayload = z.object({ channels: z.array(z.string()) });

/** A `subscribe` as the server received it, with the server-side socket that sent it. */
export type Subscribe = z.infer<typeof subscribePayload> & { socket: Socket };
/** Answers a subscribe; may emit frames on `request.socket` after the ack (an older server's replay). */
export type Script = (request: Subscribe, ack: (answer: unknown) => void) => void;

export const grantAll: Script = (request, ack) => ack({ granted: request.channels, denied: [], last: 10 });

export function notification(id: number, channel = "game:1", event = "clicks"): WireNotification {
  return { id, channel, event, payload: { id }, at: new Date(0).toISOString() };
}

export type ScriptedServer = {
  subscribes: Subscribe[];
  unsubscribes: string[][];
  /** The script answering every subscribe from now on. */
  play: (script: Script) => void;
  /** Resolves with the `count`-th subscribe received. */
  nthSubscribe: (count: number) => Promise<Subscribe>;
  connect: () => BusSocket;
  /** Closes every connection from the server side, as a dying node does; clients reconnect. */
  dropAll: () => void;
  reset: () => void;
  close: () => Promise<void>;
};

export async function startScriptedServer(): Promise<ScriptedServer> {
  const http = createServer();
  const io = new Server(http);
  let script: Script = grantAll;
  const subscribes: Subscribe[] = [];
  const unsubscribes: string[][] = [];
  let waiters: Array<() => void> = [];
  const clients: BusSocket[] = [];
  io.on("connection", (socket) => {
    socket.on("subscribe", (payload: unknown, ack: (answer: unknown) => void) => {
      const request = { ...subscribePayload.parse(payload), socket };
      subscribes.push(request);
      script(request, ack);
      waiters.forEach((wake) => wake());
    });
    socket.on("unsubscribe", (payload: unknown, ack: (answer: unknown) => void) => {
      unsubscribes.push(unsubscribePayload.parse(payload).channels);
      ack({ ok: true });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    subscribes,
    unsubscribes,
    play: (next) => (script = next),
    nthSubscribe: (count) =>
      within(
        new Promise<Subscribe>((resolve) => {
          const check = () => {
            const found = subscribes[count - 1];
            if (found) resolve(found);
          };
          waiters.push(check);
          check();
        }),
        `subscribe #${count}`,
      ).finally(() => (waiters = [])),
    connect: () => {
      const socket: BusSocket = connectClient(url, {
        transports: ["websocket"],
        reconnectionDelay: 10,
        reconnectionDelayMax: 10,
        forceNew: true,
      });
      clients.push(socket);
      return socket;
    },
    dropAll: () => {
      for (const socket of io.of("/").sockets.values()) socket.conn.close();
    },
    reset: () => {
      clients.splice(0).forEach((socket) => socket.disconnect());
      subscribes.length = 0;
      unsubscribes.length = 0;
      script = grantAll;
    },
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}

export type ScriptedFile = {
  readonly server: ScriptedServer;
  /** The test's BusClient on a new connection (closed after the test); the same one on later calls. */
  bus: (options?: BusClientOptions) => BusClient;
};

/** One scripted server for the test file; each test starts with fresh connections and the default script. */
export function scriptedServerForFile(): ScriptedFile {
  let server: ScriptedServer | undefined;
  let bus: BusClient | undefined;
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterEach(() => {
    bus?.close();
    bus = undefined;
    server?.reset();
  });
  afterAll(() => server?.close());
  const started = (): ScriptedServer => {
    if (!server) throw new Error("the scripted server starts in beforeAll");
    return server;
  };
  return {
    get server() {
      return started();
    },
    bus: (options) => (bus ??= new BusClient(started().connect(), options)),
  };
}
