// One socket, several followers of a channel: the presence flag the socket holds is "some
// follower wants presence", a newcomer gets the last presence snapshot (changes folded in), and a revocation ends
// the followers it reached while a later follower (after a re-invite) asks again.
import { expect, it } from "vitest";
import type { WireNotification } from "@/lib/bus/events";
import type { ChannelState } from "@/lib/bus/client/types";
import { until } from "../../support/bus-harness";
import { notification, scriptedServerForFile } from "./scripted-server";

const file = scriptedServerForFile();

function follower(channel: string, options: { since?: number; presence?: boolean } = {}) {
  const bus = file.bus();
  const received: WireNotification[] = [];
  const states: ChannelState[] = [];
  const stop = bus.listen(
    channel,
    { onNotification: (n) => received.push(n), onState: (state) => states.push(state) },
    options,
  );
  return { received, states, stop };
}

it("holds presence while any follower wants it, and says so to the server each time it changes", async () => {
  const lobbyCard = follower("game:1", { presence: false });
  expect((await file.server.nthSubscribe(1)).presence).toBe(false);
  await until(() => lobbyCard.states.includes("granted"), "granted");
  const gamePage = follower("game:1");
  const present = await file.server.nthSubscribe(2);
  expect(present.presence).toBeUndefined(); // present is the default
  expect(present.last).toBeUndefined(); // a flag change replays nothing
  gamePage.stop();
  expect((await file.server.nthSubscribe(3)).presence).toBe(false);
  lobbyCard.stop();
  await until(() => file.server.unsubscribes.length === 1, "unsubscribe");
  expect(file.server.unsubscribes).toEqual([["game:1"]]);
});

it("hands a newcomer the last presence snapshot the socket heard", async () => {
  const first = follower("game:1");
  const { socket } = await file.server.nthSubscribe(1);
  await until(() => first.states.includes("granted"), "granted");
  socket.emit("notification", {
    id: null,
    channel: "game:1",
    event: "presence",
    payload: { count: 1, players: [{ id: 1, username: "alice" }] },
    at: new Date(0).toISOString(),
  });
  await until(() => first.received.length === 1, "presence");
  const second = follower("game:1");
  expect(second.received.map((n) => n.event)).toEqual(["presence"]);
});

it("folds a big room's presence changes into the snapshot a newcomer gets", async () => {
  const first = follower("game:1");
  const { socket } = await file.server.nthSubscribe(1);
  await until(() => first.states.includes("granted"), "granted");
  const presence = (payload: unknown) =>
    socket.emit("notification", {
      id: null,
      channel: "game:1",
      event: "presence",
      payload,
      at: new Date(0).toISOString(),
    });
  presence({
    count: 80,
    players: [
      { id: 1, username: "alice" },
      { id: 2, username: "bob" },
    ],
  });
  presence({ count: 80, joined: [{ id: 3, username: "aaron" }], left: [2] });
  await until(() => first.received.length === 2, "both presence messages");
  const second = follower("game:1");
  expect(second.received.map((n) => n.payload)).toEqual([
    {
      count: 80,
      players: [
        { id: 3, username: "aaron" },
        { id: 1, username: "alice" },
      ],
    },
  ]);
});

it("ends the followers a revocation reached; a later follower subscribes afresh", async () => {
  const removed = follower("game:1");
  const { socket } = await file.server.nthSubscribe(1);
  await until(() => removed.states.includes("granted"), "granted");
  socket.emit("revoked", { channel: "game:1", reason: "removed" });
  await until(() => removed.states.includes("revoked"), "revoked");

  const invitedAgain = follower("game:1", { since: 20 });
  const fresh = await file.server.nthSubscribe(2);
  expect(fresh).toMatchObject({ channels: ["game:1"], last: 20 });
  await until(() => invitedAgain.states.includes("granted"), "granted again");
  socket.emit("notification", notification(21));
  await until(() => invitedAgain.received.length === 1, "new follower live");
  expect(removed.received).toEqual([]);
  expect(removed.states).toEqual(["subscribing", "granted", "revoked"]);
});
