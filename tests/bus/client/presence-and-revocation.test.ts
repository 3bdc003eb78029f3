// One socket, several followers of a channel: the presence flag the socket holds is "some
// follower wants presence", a newcomer gets the last presence snapshot, and a revocation ends
// the followers it reached while a later follower (after a re-invite) asks again.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { BusClient } from "@/lib/bus/client/bus-client";
import type { WireNotification } from "@/lib/bus/events";
import type { ChannelState } from "@/lib/bus/client/types";
import { until } from "../../support/bus-harness";
import { notification, startScriptedServer, type ScriptedServer } from "./scripted-server";

let server: ScriptedServer;
let bus: BusClient | undefined;

beforeAll(async () => {
  server = await startScriptedServer();
});
afterEach(() => {
  bus?.close();
  bus = undefined;
  server.reset();
});
afterAll(() => server.close());

function follower(channel: string, options: { since?: number; presence?: boolean } = {}) {
  bus ??= new BusClient(server.connect());
  const received: WireNotification[] = [];
  const states: ChannelState[] = [];
  const stop = bus.listen(channel, { onNotification: (n) => received.push(n), onState: (state) => states.push(state) }, options);
  return { received, states, stop };
}

it("holds presence while any follower wants it, and says so to the server each time it changes", async () => {
  const lobbyCard = follower("game:1", { presence: false });
  expect((await server.nthSubscribe(1)).presence).toBe(false);
  await until(() => lobbyCard.states.includes("granted"), "granted");
  const gamePage = follower("game:1");
  const present = await server.nthSubscribe(2);
  expect(present.presence).toBeUndefined(); // present is the default
  expect(present.last).toBeUndefined(); // a flag change replays nothing
  gamePage.stop();
  expect((await server.nthSubscribe(3)).presence).toBe(false);
  lobbyCard.stop();
  await until(() => server.unsubscribes.length === 1, "unsubscribe");
  expect(server.unsubscribes).toEqual([["game:1"]]);
});

it("hands a newcomer the last presence snapshot the socket heard", async () => {
  const first = follower("game:1");
  const { socket } = await server.nthSubscribe(1);
  await until(() => first.states.includes("granted"), "granted");
  socket.emit("notification", { id: null, channel: "game:1", event: "presence", payload: { players: [{ id: 1, username: "alice" }] }, at: new Date(0).toISOString() });
  await until(() => first.received.length === 1, "presence");
  const second = follower("game:1");
  expect(second.received.map((n) => n.event)).toEqual(["presence"]);
});

it("ends the followers a revocation reached; a later follower subscribes afresh", async () => {
  const removed = follower("game:1");
  const { socket } = await server.nthSubscribe(1);
  await until(() => removed.states.includes("granted"), "granted");
  socket.emit("revoked", { channel: "game:1", reason: "removed" });
  await until(() => removed.states.includes("revoked"), "revoked");

  const invitedAgain = follower("game:1", { since: 20 });
  const fresh = await server.nthSubscribe(2);
  expect(fresh).toMatchObject({ channels: ["game:1"], last: 20 });
  await until(() => invitedAgain.states.includes("granted"), "granted again");
  socket.emit("notification", notification(21));
  await until(() => invitedAgain.received.length === 1, "new follower live");
  expect(removed.received).toEqual([]);
  expect(removed.states).toEqual(["subscribing", "granted", "revoked"]);
});
