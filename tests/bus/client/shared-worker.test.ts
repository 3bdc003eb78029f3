// The SharedWorker's tab hub and a tab's SharedBus, joined by real MessageChannels, over a real
// BusClient and a scripted server: tabs share one socket and one subscription per channel,
// each gets its own replay, a tab gone quiet is dropped, and the socket goes with the last tab.
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { BusClient } from "@/lib/bus/client/bus-client";
import { SharedBus } from "@/lib/bus/client/shared-bus";
import { TabHub } from "@/lib/bus/client/tab-hub";
import type { SessionEnd } from "@/lib/bus/client/types";
import type { WireNotification } from "@/lib/bus/events";
import { until } from "../../support/bus-harness";
import { notification, startScriptedServer, type ScriptedServer } from "./scripted-server";

let server: ScriptedServer;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  server = await startScriptedServer();
});
afterEach(() => {
  cleanups.splice(0).forEach((cleanup) => cleanup());
  server.reset();
  vi.useRealTimers();
});
afterAll(() => server.close());

function hub(options: { personalChannel?: string; pingMs?: number } = {}) {
  const sockets: BusClient[] = [];
  const tabs = new TabHub({
    online: true,
    pingMs: options.pingMs,
    openBus: (onSessionEnded) => {
      const bus = new BusClient(server.connect(), { personalChannel: options.personalChannel, onSessionEnded });
      sockets.push(bus);
      return bus;
    },
  });
  return { tabs, sockets };
}

function tabOf(worker: TabHub) {
  const ended: SessionEnd[] = [];
  const bus = new SharedBus({
    connect: () => {
      const channel = new MessageChannel();
      worker.connect(channel.port1);
      cleanups.push(() => channel.port1.close());
      return channel.port2;
    },
    onSessionEnded: (reason) => ended.push(reason),
    onUnavailable: () => undefined,
  });
  cleanups.push(() => bus.close());
  const follow = (channel: string, since?: number) => {
    const received: number[] = [];
    const stop = bus.listen(
      channel,
      { onNotification: (n: WireNotification) => n.id !== null && received.push(n.id) },
      { since },
    );
    return { received, stop };
  };
  return { bus, ended, follow };
}

it("serves every tab from one socket and one subscription, and closes the socket with the last tab", async () => {
  const worker = hub();
  const first = tabOf(worker.tabs);
  const second = tabOf(worker.tabs);
  const a = first.follow("game:1", 10);
  const b = second.follow("game:1", 10);
  const { socket } = await server.nthSubscribe(1);
  await until(() => worker.tabs.tabCount === 2, "two tabs");
  await until(() => first.bus.status === "connected" && second.bus.status === "connected", "both connected");
  socket.emit("notification", notification(11));
  await until(() => a.received.length === 1 && b.received.length === 1, "both tabs");
  expect(server.subscribes).toHaveLength(1);
  expect(worker.sockets).toHaveLength(1);

  first.bus.close();
  await until(() => worker.tabs.tabCount === 1, "first tab gone");
  socket.emit("notification", notification(12));
  await until(() => b.received.length === 2, "second tab still live");
  expect(worker.tabs.connected).toBe(true);
  second.bus.close();
  await until(() => !worker.tabs.connected, "socket closed");
  await until(() => socket.disconnected, "server saw the socket go");
});

it("gives a tab that comes late its own replay, and the earlier tab nothing twice", async () => {
  server.play((request, ack) => {
    const ids = request.last === 10 ? [11, 12, 13] : [12, 13];
    ack({ granted: request.channels, denied: [], last: 13, notifications: ids.map((id) => notification(id)) });
  });
  const worker = hub();
  const early = tabOf(worker.tabs).follow("game:1", 10);
  await until(() => early.received.length === 3, "early replay");
  const late = tabOf(worker.tabs).follow("game:1", 11);
  await until(() => late.received.length === 2, "late replay");
  expect((await server.nthSubscribe(2)).last).toBe(11);
  expect(late.received).toEqual([12, 13]);
  expect(early.received).toEqual([11, 12, 13]);
});

it("drops a tab that stops answering pings, and the last one going closes the socket", async () => {
  const worker = hub({ pingMs: 20 });
  const frozen = new MessageChannel();
  cleanups.push(() => frozen.port2.close());
  worker.tabs.connect(frozen.port1);
  // A tab that listens once and then never answers (frozen, crashed, closed without pagehide).
  frozen.port2.postMessage({ type: "listen", key: 0, channel: "game:1", since: 10, presence: true });
  const { socket } = await server.nthSubscribe(1);
  await until(() => !worker.tabs.connected, "socket closed after the missed pings");
  await until(() => socket.disconnected, "server saw the socket go");
  expect(worker.tabs.tabCount).toBe(0);
});

it("listens again from the tab's own cursor when the worker says it had forgotten the tab", async () => {
  const channel = new MessageChannel();
  cleanups.push(() => channel.port1.close());
  const sent: unknown[] = [];
  channel.port1.addEventListener("message", (event: MessageEvent) => sent.push(event.data));
  channel.port1.start();
  const clock = { now: 1_000_000 };
  const bus = new SharedBus({
    connect: () => channel.port2,
    onSessionEnded: () => undefined,
    onUnavailable: () => undefined,
    now: () => clock.now,
  });
  cleanups.push(() => bus.close());
  const received: number[] = [];
  bus.listen("game:1", { onNotification: (n) => n.id !== null && received.push(n.id) }, { since: 10 });
  for (const id of [11, 11, 12])
    channel.port1.postMessage({ type: "notification", key: 0, notification: notification(id) });
  channel.port1.postMessage({ type: "notification", key: "not a key" });
  await until(() => received.length === 2, "notifications");
  expect(received).toEqual([11, 12]);
  expect(sent.find((message) => JSON.stringify(message).includes('"listen"'))).toMatchObject({
    type: "listen",
    key: 0,
    channel: "game:1",
    since: 10,
  });
  clock.now += 3000; // 11 and 12 have settled into the tab's cursor
  channel.port1.postMessage({ type: "dropped" });
  await until(
    () => sent.filter((message) => JSON.stringify(message).includes('"listen"')).length === 2,
    "listen again",
  );
  expect(sent.at(-1)).toMatchObject({ type: "listen", key: 0, channel: "game:1", since: 12 });
});

it("falls back when the worker never answers", async () => {
  vi.useFakeTimers();
  const channel = new MessageChannel();
  cleanups.push(() => channel.port1.close());
  let unavailable = 0;
  const bus = new SharedBus({
    connect: () => channel.port2,
    onSessionEnded: () => undefined,
    onUnavailable: () => (unavailable += 1),
  });
  cleanups.push(() => bus.close());
  vi.advanceTimersByTime(8000);
  expect(unavailable).toBe(0);
  vi.advanceTimersByTime(6000);
  expect(unavailable).toBeGreaterThan(0);
});

it("tells every tab when the worker's socket turns out to be another user's", async () => {
  server.play((request, ack) => ack({ granted: [], denied: request.channels, last: 10 }));
  const worker = hub({ personalChannel: "user:7" });
  const tabs = [tabOf(worker.tabs), tabOf(worker.tabs)];
  for (const tab of tabs) tab.follow("game:1");
  await until(() => tabs.every((tab) => tab.ended.length === 1), "both tabs told");
  expect(tabs.map((tab) => tab.ended[0])).toEqual(["other_user", "other_user"]);
  expect(server.subscribes.map((request) => request.channels)).toEqual([["user:7"]]);
  expect(worker.tabs.connected).toBe(false);
});

it("closes the socket while its tabs say the browser is offline, and catches up when it is back", async () => {
  const worker = hub();
  const tab = tabOf(worker.tabs);
  const game = tab.follow("game:1", 10);
  const { socket } = await server.nthSubscribe(1);
  await until(() => tab.bus.status === "connected", "connected");
  tab.bus.setBrowserOnline(false);
  expect(tab.bus.status).toBe("offline");
  await until(() => socket.disconnected, "socket closed while offline");
  tab.bus.setBrowserOnline(true);
  const again = await server.nthSubscribe(2);
  expect(again).toMatchObject({ channels: ["game:1"], last: 10 });
  again.socket.emit("notification", notification(11));
  await until(() => game.received.length === 1, "live again");
});
