// `revoked` is the last word (docs/protocol.md): after a socket is told a channel is revoked,
// nothing more of that channel reaches it — not even the removal's own `activity` and
// `member_left` — on the node that made the change and on the other one, on either engine.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { WireNotification } from "@/lib/bus/events";
import { afterRevocation, nextNotification, nextRevoked, record, type BusClient } from "../support/bus-harness";
import type { TestServer } from "../support/server";
import { browserCaller, type Player } from "../api/api-client";
import {
  click,
  createGame,
  describeWithRedis,
  follow,
  invite,
  newPlayer,
  startNodes,
  stopNodes,
  untilLogged,
} from "./cluster-support";

let nodes: TestServer[] = [];
const sockets: BusClient[] = [];
let alice: Player;
let bob: Player;

/** Bob on both nodes, alice watching on both; returns once everyone follows the new game. */
async function roomOnBothNodes(name: string) {
  const [a, b] = nodes as [TestServer, TestServer];
  const gameId = await createGame(a, alice, name);
  const bobId = await invite(a, alice, gameId, bob);
  const channel = `game:${gameId}`;
  const on = async (node: TestServer, player: Player) => (await follow(node, player, channel, sockets)).socket;
  const bobTabs = [await on(a, bob), await on(b, bob)];
  const witnesses = [await on(a, alice), await on(b, alice)];
  return { gameId, bobId, channel, bobTabs, witnesses };
}

/**
 * Waits until both witnesses have `event` and a later tally: whatever the change sent is
 * delivered everywhere, so a notification that would follow `revoked` has had its chance.
 */
async function deliveredEverywhere(witnesses: BusClient[], gameId: number, event: string): Promise<void> {
  const changes = witnesses.map((socket) => nextNotification(socket, (n) => n.event === event, event));
  await Promise.all(changes);
  const tallies = witnesses.map((socket) => nextNotification(socket, (n) => n.event === "tally", "a later tally"));
  await click(nodes[0] as TestServer, alice, gameId, 1);
  await Promise.all(tallies);
}

/** Alice's DELETE of `path` through node `through` (0: A, 1: B), which must answer 204. */
async function deleteAsAlice(through: number, path: string): Promise<void> {
  const node = nodes[through] as TestServer;
  const answer = await fetch(`${node.url}${path}`, {
    method: "DELETE",
    headers: browserCaller(node.url, alice.cookie).headers,
  });
  expect(answer.status).toBe(204);
}

await describeWithRedis("revoked is the last word, across two nodes", () => {
  beforeAll(async () => {
    nodes = await startNodes(2);
    await untilLogged(nodes, "Redis link up");
    alice = await newPlayer((nodes[0] as TestServer).url, "alice");
    bob = await newPlayer((nodes[0] as TestServer).url, "bob");
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await stopNodes(nodes);
  });

  // Through each node in turn: the node that commits the removal and the one that hears of it.
  for (const through of [0, 1]) {
    it(`a member removed through node ${"AB"[through]} gets nothing of the game after revoked`, async () => {
      const room = await roomOnBothNodes(`Removal ${through}`);
      const recorders = room.bobTabs.map(record);
      const revoked = room.bobTabs.map((socket) => nextRevoked(socket));
      const witnessesSee = deliveredEverywhere(room.witnesses, room.gameId, "member_left");
      await deleteAsAlice(through, `/api/games/${room.gameId}/members/${room.bobId}`);
      expect(await Promise.all(revoked)).toEqual(Array(2).fill({ channel: room.channel, reason: "removed" }));
      await witnessesSee;
      expect(
        recorders.map((seen) => afterRevocation(seen, room.channel).filter((n) => n.channel === room.channel)),
      ).toEqual([[], []]);
    });

    it(`a deleted game's members get nothing of it after revoked (deleted through node ${"AB"[through]})`, async () => {
      const room = await roomOnBothNodes(`Deletion ${through}`);
      const recorders = room.bobTabs.map(record);
      const revoked = room.bobTabs.map((socket) => nextRevoked(socket));
      // Alice's own tabs are revoked too: once they are, the deletion has reached every socket.
      const witnessesRevoked = room.witnesses.map((socket) => nextRevoked(socket));
      await deleteAsAlice(through, `/api/games/${room.gameId}`);
      expect(await Promise.all(revoked)).toEqual(Array(2).fill({ channel: room.channel, reason: "deleted" }));
      await Promise.all(witnessesRevoked);
      // What the deletion stored reached bob before `revoked`, and nothing after it. (Only the last
      // of the channel: on PostgreSQL the invitation's own notifications may still arrive after
      // bob subscribed, as its emits wait their turn in id order.)
      const lastStored = (seen: { notifications: WireNotification[] }) =>
        seen.notifications.filter((n) => n.id !== null && n.channel === room.channel).at(-1)?.event;
      expect(recorders.map(lastStored)).toEqual(["deleted", "deleted"]);
      expect(
        recorders.map((seen) => afterRevocation(seen, room.channel).filter((n) => n.channel === room.channel)),
      ).toEqual([[], []]);
    });
  }
});
