// BusClient's resume cursor against a real Socket.IO server standing in for the bus: after a
// reconnect it re-subscribes from an id that cannot skip a notification still in flight from
// another node, and from its highest id once those have settled while it was connected.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket } from "socket.io";
import { io as connectClient } from "socket.io-client";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { BusClient, type BusSocket } from "@/lib/bus/client/bus-client";
import { until, within } from "../../support/bus-harness";

const subscribePayload = z.object({ channels: z.array(z.string()), last: z.number().optional() });
/** A `subscribe` as the server received it, with the server-side socket that sent it. */
type Subscribe = z.infer<typeof subscribePayload> & { socket: Socket };

let io: Server;
let url: string;
let subscribes: Subscribe[] = [];
let waiters: Array<() => void> = [];
let bus: BusClient | undefined;

beforeAll(async () => {
  const http = createServer();
  io = new Server(http);
  io.on("connection", (socket) => {
    socket.on("subscribe", (payload: unknown, ack: (answer: unknown) => void) => {
      const parsed = subscribePayload.parse(payload);
      subscribes.push({ ...parsed, socket });
      ack({ granted: parsed.channels, denied: [], last: 10 });
      waiters.forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterEach(() => {
  bus?.close();
  subscribes = [];
});
afterAll(() => io.close());

function nthSubscribe(count: number): Promise<Subscribe> {
  return within(
    new Promise<Subscribe>((resolve) => {
      const check = () => subscribes.length >= count && resolve(subscribes[count - 1] as Subscribe);
      waiters.push(check);
      check();
    }),
    `subscribe #${count}`,
  ).finally(() => (waiters = []));
}

/** A client on `game:1` that has received `ids` (in that order), at the fake time `clock.now`. */
async function clientThatReceived(ids: number[], clock: { now: number }, distinct = ids.length): Promise<{ received: number[]; socket: BusSocket }> {
  const socket: BusSocket = connectClient(url, { transports: ["websocket"], reconnectionDelay: 10, reconnectionDelayMax: 10 });
  bus = new BusClient(socket, () => clock.now);
  const received: number[] = [];
  bus.listen("game:1", { onNotification: (n) => n.id !== null && received.push(n.id) });
  const { socket: server } = await nthSubscribe(1);
  for (const id of ids) server.emit("notification", { id, channel: "game:1", event: "clicks", payload: {}, at: new Date().toISOString() });
  await until(() => received.length === distinct, "notifications received");
  return { received, socket };
}

/** Drops the connection from the server side, as a dying node does; the client reconnects. */
async function reconnect(): Promise<Subscribe> {
  for (const socket of io.of("/").sockets.values()) socket.conn.close();
  return nthSubscribe(2);
}

it("resumes below an id received moments ago, so one still in flight from another node is replayed", async () => {
  const clock = { now: 1_000_000 };
  await clientThatReceived([12], clock);
  expect((await reconnect()).last).toBe(10);
});

it("resumes from the highest id once it has settled", async () => {
  const clock = { now: 1_000_000 };
  await clientThatReceived([12, 11, 13], clock);
  clock.now += 2500;
  expect((await reconnect()).last).toBe(13);
});

it("does not let the time spent disconnected settle an id: nothing in flight reaches a dead connection", async () => {
  const clock = { now: 1_000_000 };
  const { socket } = await clientThatReceived([12], clock);
  // A killed node takes seconds to come back; BusClient has already handled the disconnect.
  socket.once("disconnect", () => (clock.now += 10_000));
  expect((await reconnect()).last).toBe(10);
});

it("delivers a replayed id it already has only once", async () => {
  const clock = { now: 1_000_000 };
  const { received } = await clientThatReceived([12, 12, 11, 13], clock, 3);
  expect(received).toEqual([12, 11, 13]);
});
