// BusClient's resume cursor against a scripted Socket.IO server standing in for the bus: after a
// reconnect it re-subscribes from an id that cannot skip a notification still in flight from
// another node, and from its highest id once those have settled.
import { expect, it } from "vitest";
import { until } from "../../support/bus-harness";
import { notification, scriptedServerForFile } from "./scripted-server";

const file = scriptedServerForFile();

/** A client on `game:1` that has received `ids` (in that order), at the fake time `clock.now`. */
async function clientThatReceived(
  ids: number[],
  clock: { now: number },
  distinct = ids.length,
): Promise<{ received: number[] }> {
  const bus = file.bus({ now: () => clock.now });
  const received: number[] = [];
  bus.listen("game:1", { onNotification: (n) => n.id !== null && received.push(n.id) });
  const { socket } = await file.server.nthSubscribe(1);
  for (const id of ids) socket.emit("notification", notification(id));
  await until(() => received.length === distinct, "notifications received");
  return { received };
}

async function reconnect(): Promise<number | undefined> {
  file.server.dropAll();
  return (await file.server.nthSubscribe(2)).last;
}

it("resumes below an id received moments ago, so one still in flight from another node is replayed", async () => {
  const clock = { now: 1_000_000 };
  await clientThatReceived([12], clock);
  expect(await reconnect()).toBe(10);
});

it("resumes from the highest id once it has settled", async () => {
  const clock = { now: 1_000_000 };
  await clientThatReceived([12, 11, 13], clock);
  clock.now += 2500;
  expect(await reconnect()).toBe(13);
});

it("delivers a replayed id it already has only once", async () => {
  const clock = { now: 1_000_000 };
  const { received } = await clientThatReceived([12, 12, 11, 13], clock, 3);
  expect(received).toEqual([12, 11, 13]);
});
