// BusClient and the replay inside the subscribe ack (docs/protocol.md#replay): notifications in the
// ack are handled like live ones (oldest first, once each, per-channel cursor), `more` is followed
// by itself, `reset` asks for a refetch, and a server that still replays as frames after the ack
// works too.
import { expect, it } from "vitest";
import type { WireNotification } from "@/lib/bus/events";
import { until } from "../../support/bus-harness";
import { grantAll, notification, scriptedServerForFile } from "./scripted-server";

const file = scriptedServerForFile();

function follow(channel = "game:1", since?: number) {
  const bus = file.bus();
  const received: number[] = [];
  const resets: number[] = [];
  const states: string[] = [];
  const listener = {
    onNotification: (n: WireNotification) => n.id !== null && received.push(n.id),
    onReset: () => resets.push(1),
    onState: (state: string) => states.push(state),
  };
  bus.listen(channel, listener, { since });
  return { received, resets, states };
}

it("takes the replay from the ack, oldest first, once each, and resumes after it", async () => {
  file.server.play((request, ack) => {
    ack({ granted: request.channels, denied: [], last: 9, notifications: [6, 7, 8].map((id) => notification(id)) });
    request.socket.emit("notification", notification(8)); // live copy of a replayed one
    request.socket.emit("notification", notification(9));
  });
  const { received } = follow("game:1", 5);
  expect((await file.server.nthSubscribe(1)).last).toBe(5);
  await until(() => received.length === 4, "replay and live");
  expect(received).toEqual([6, 7, 8, 9]);

  file.server.play(grantAll);
  file.server.dropAll();
  // 9 arrived a moment ago, but the ack already vouched for everything up to 9.
  expect((await file.server.nthSubscribe(2)).last).toBe(9);
});

it("follows `more: true` by itself, from the ack's last, until the replay is complete", async () => {
  file.server.play((request, ack) => {
    if (request.last === 5)
      ack({
        granted: request.channels,
        denied: [],
        last: 7,
        notifications: [notification(6), notification(7)],
        more: true,
      });
    else ack({ granted: request.channels, denied: [], last: 20, notifications: [notification(8), notification(9)] });
  });
  const { received } = follow("game:1", 5);
  const second = await file.server.nthSubscribe(2);
  expect(second.channels).toEqual(["game:1"]);
  expect(second.last).toBe(7);
  await until(() => received.length === 4, "both pages");
  expect(received).toEqual([6, 7, 8, 9]);
});

it("asks the page to refetch on `reset` and delivers nothing of the gap", async () => {
  file.server.play((request, ack) => ack({ granted: request.channels, denied: [], last: 5000, reset: true }));
  const { received, resets } = follow("game:1", 1);
  await until(() => resets.length === 1, "reset");
  expect(received).toEqual([]);
});

it("works with a server that replays as frames after the ack", async () => {
  file.server.play((request, ack) => {
    ack({ granted: request.channels, denied: [], last: 9 });
    for (const id of [6, 7, 8, 9]) request.socket.emit("notification", notification(id));
  });
  const { received } = follow("game:1", 5);
  await until(() => received.length === 4, "frames");
  expect(received).toEqual([6, 7, 8, 9]);
});

it("gives a late follower its own replay from its own cursor, and the others nothing twice", async () => {
  file.server.play((request, ack) => {
    const ids = request.last === 5 ? [6, 7, 8, 9] : [8, 9];
    ack({ granted: request.channels, denied: [], last: 9, notifications: ids.map((id) => notification(id)) });
  });
  const early = follow("game:1", 5);
  await until(() => early.received.length === 4, "early follower's replay");
  const late = follow("game:1", 7);
  const own = await file.server.nthSubscribe(2);
  expect(own.last).toBe(7);
  await until(() => late.received.length === 2, "late follower's replay");
  own.socket.emit("notification", notification(10));
  await until(() => late.received.length === 3 && early.received.length === 5, "live");
  expect(early.received).toEqual([6, 7, 8, 9, 10]);
  expect(late.received).toEqual([8, 9, 10]);
});

it("drops what a late follower's render already has when the replay comes as frames for everyone", async () => {
  file.server.play((request, ack) => {
    ack({ granted: request.channels, denied: [], last: 9 });
    const ids = request.last === 5 ? [6, 7, 8, 9] : [8, 9];
    for (const id of ids) request.socket.emit("notification", notification(id));
  });
  const early = follow("game:1", 5);
  await until(() => early.received.length === 4, "early follower's replay");
  const late = follow("game:1", 7);
  await file.server.nthSubscribe(2);
  // Another channel's ack comes back after every frame the late follower's subscribe caused.
  const marker = follow("game:2");
  await until(() => marker.states.includes("granted"), "marker granted");
  expect(early.received).toEqual([6, 7, 8, 9]);
  expect(late.received).toEqual([8, 9]);
});

it("asks nothing more for a follower whose cursor the socket's stream already covers", async () => {
  file.server.play((request, ack) => ack({ granted: request.channels, denied: [], last: 9 }));
  follow("game:1", 9);
  await file.server.nthSubscribe(1);
  follow("game:1", 9);
  follow("game:2");
  const next = await file.server.nthSubscribe(2);
  expect(next.channels).toEqual(["game:2"]);
  expect(file.server.subscribes).toHaveLength(2);
});

it("sends the listens of one turn as one subscribe per cursor", async () => {
  for (let id = 1; id <= 30; id += 1) follow(`game:${id}`, 4);
  follow("user:1", 3);
  const first = await file.server.nthSubscribe(1);
  const second = await file.server.nthSubscribe(2);
  expect(first.channels).toHaveLength(30);
  expect(first.last).toBe(4);
  expect(second).toMatchObject({ channels: ["user:1"], last: 3 });
});

it("subscribes nothing for a follower that left in the same turn (React's Strict Mode mounts twice)", async () => {
  const bus = file.bus();
  const stop = bus.listen("game:1", { onNotification: () => undefined }, { since: 4 });
  stop();
  follow("game:2");
  const first = await file.server.nthSubscribe(1);
  expect(first.channels).toEqual(["game:2"]);
  expect(file.server.unsubscribes).toEqual([]);
});

it("asks again later when the server says the socket is over its rate budget", async () => {
  let refused = false;
  file.server.play((request, ack) => {
    if (!refused) {
      refused = true;
      return ack({ error: "rate_limited" });
    }
    ack({ granted: request.channels, denied: [], last: 9, notifications: [notification(8)] });
  });
  const { received } = follow("game:1", 7);
  expect((await file.server.nthSubscribe(2)).last).toBe(7);
  await until(() => received.length === 1, "replay after the retry");
});

it("delivers live frames that overtake the join's ack after its replay: in id order, once each", async () => {
  // The server joins, then reads the rest of the replay: ids committed meanwhile come both live
  // (here before the ack, one from another node out of order) and in the ack.
  file.server.play((request, ack) => {
    request.socket.emit("notification", notification(10));
    request.socket.emit("notification", notification(9));
    request.socket.emit("notification", notification(11));
    ack({
      granted: request.channels,
      denied: [],
      last: 10,
      notifications: [6, 7, 8, 9, 10].map((id) => notification(id)),
    });
  });
  const { received } = follow("game:1", 5);
  await until(() => received.length === 6, "replay and live");
  expect(received).toEqual([6, 7, 8, 9, 10, 11]);
});

it("holds live frames for a late follower until its own replay is answered", async () => {
  let calls = 0;
  file.server.play((request, ack) => {
    calls += 1;
    if (calls === 1)
      return ack({
        granted: request.channels,
        denied: [],
        last: 9,
        notifications: [6, 7, 8, 9].map((id) => notification(id)),
      });
    request.socket.emit("notification", notification(10));
    ack({ granted: request.channels, denied: [], last: 10, notifications: [8, 9, 10].map((id) => notification(id)) });
  });
  const early = follow("game:1", 5);
  await until(() => early.received.length === 4, "early follower's replay");
  const late = follow("game:1", 7);
  await until(
    () => late.received.length === 3 && early.received.length === 5,
    "late follower's replay and the live frame",
  );
  expect(late.received).toEqual([8, 9, 10]);
  expect(early.received).toEqual([6, 7, 8, 9, 10]);
});

it("asks again later when the server could not read its store (`unavailable`), and holds nothing meanwhile", async () => {
  let refused = false;
  file.server.play((request, ack) => {
    if (!refused) {
      refused = true;
      return ack({ error: "unavailable" });
    }
    ack({ granted: request.channels, denied: [], last: 9, notifications: [notification(8)] });
  });
  const { received, states } = follow("game:1", 7);
  expect((await file.server.nthSubscribe(2)).last).toBe(7);
  await until(() => received.length === 1, "replay after the retry");
  expect(states).not.toContain("denied");
});
