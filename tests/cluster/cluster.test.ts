// Two real nodes sharing one SQLite file and the machine's Redis: delivery, revocation and
// presence across nodes, and a node killed with SIGKILL while its clients move to the other.
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import type { WireNotification } from "@/lib/bus/events";
import {
  nextDisconnect,
  nextNotification,
  nextRevoked,
  record,
  subscribeOk,
  type BusClient,
} from "../support/bus-harness";
import { actionCaller } from "../actions/action-client";
import type { TestServer } from "../support/server";
import { browserCaller, type Player } from "../api/api-client";
import {
  click,
  connect,
  createGame,
  describeWithRedis,
  follow,
  invite,
  newPlayer,
  presentNames,
  startNodes,
  stopNodes,
  totalOf,
  until,
  untilLogged,
} from "./cluster-support";

let nodes: TestServer[] = [];
const sockets: BusClient[] = [];

const tab = (node: TestServer, player: Player, channel: string, last?: number) =>
  follow(node, player, channel, sockets, last);

const playersOnline = (notification: WireNotification): number =>
  z.object({ playersOnline: z.number() }).parse(notification.payload).playersOnline;

/** The next presence message on `socket` listing exactly `usernames` (a dead node takes seconds). */
async function presenceBecomes(socket: BusClient, channel: string, usernames: string[]): Promise<void> {
  const wanted = [...usernames].sort().join(",");
  const seen = record(socket);
  const matches = (n: WireNotification) =>
    n.channel === channel && n.event === "presence" && presentNames(n).join(",") === wanted;
  await until(() => seen.notifications.some(matches), `presence ${wanted}`, 10_000).finally(seen.stop);
}

await describeWithRedis("two nodes on one Redis", () => {
  let alice: Player;
  let bob: Player;
  let carol: Player;
  let dave: Player;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    nodes = await startNodes(2);
    [a, b] = nodes as [TestServer, TestServer];
    await untilLogged(nodes, "Redis link up");
    alice = await newPlayer(a.url, "alice");
    bob = await newPlayer(a.url, "bob");
    carol = await newPlayer(b.url, "carol");
    dave = await newPlayer(b.url, "dave");
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await stopNodes(nodes);
  });

  it("delivers a click made through node A to a subscriber on node B", async () => {
    const gameId = await createGame(a, alice, "Across");
    await invite(a, alice, gameId, bob);
    const { socket } = await tab(b, bob, `game:${gameId}`);
    const arrives = nextNotification(socket, (n) => n.event === "tally", "the tally on node B");
    await click(a, alice, gameId, 7);
    expect((await arrives).payload).toMatchObject({
      total: 7,
      contributions: [{ username: alice.username, clicks: 7 }],
    });
  });

  it("revokes on node B a member removed through node A, and sends them nothing more", async () => {
    const gameId = await createGame(a, alice, "Removal");
    const bobId = await invite(a, alice, gameId, bob);
    const channel = `game:${gameId}`;
    const bobTab = await tab(b, bob, channel);
    const aliceTab = await tab(b, alice, channel);
    const bobSees = record(bobTab.socket);
    const revoked = nextRevoked(bobTab.socket);
    const removed = await fetch(`${a.url}/api/games/${gameId}/members/${bobId}`, {
      method: "DELETE",
      headers: browserCaller(a.url, alice.cookie).headers,
    });
    expect(removed.status).toBe(204);
    expect(await revoked).toEqual({ channel, reason: "removed" });
    // A later click reaches alice on the same node, but not bob.
    const aliceGetsIt = nextNotification(aliceTab.socket, (n) => n.event === "tally");
    await click(a, alice, gameId, 3);
    await aliceGetsIt;
    expect(bobSees.notifications.filter((n) => n.channel === channel && n.event === "tally")).toEqual([]);
  });

  it("counts a user with tabs on both nodes once, and drops them when the last tab closes", async () => {
    const gameId = await createGame(a, alice, "Presence");
    await invite(a, alice, gameId, carol);
    await invite(a, alice, gameId, dave);
    const channel = `game:${gameId}`;
    const watcher = await tab(b, carol, channel);
    const both = presenceBecomes(watcher.socket, channel, [alice.username, carol.username]);
    const onA = await tab(a, alice, channel);
    const onB = await tab(b, alice, channel);
    await both;
    // Dave joining on A after alice's tab there closed can only be announced with alice still
    // present through her tab on B.
    onA.socket.disconnect();
    const stillThere = presenceBecomes(watcher.socket, channel, [alice.username, carol.username, dave.username]);
    await tab(a, dave, channel);
    await stillThere;
    const gone = presenceBecomes(watcher.socket, channel, [carol.username, dave.username]);
    onB.socket.disconnect();
    await gone;
  });

  it("disconnects on node B every socket of a user who signs out everywhere through node A", async () => {
    const frank = await newPlayer(a.url, "frank");
    const onB = await connect(b, frank);
    sockets.push(onB);
    const told = nextRevoked(onB);
    const gone = nextDisconnect(onB);
    const settings = actionCaller(a.url, "app/actions/settings.ts");
    expect(
      (await settings("signOutEverywhereAction", [], { cookie: frank.cookie, page: "/settings" })).outcome,
    ).toMatchObject({ kind: "redirect" });
    expect(await told).toEqual({ channel: expect.stringMatching(/^user:\d+$/), reason: "signed_out" });
    expect(await gone).toBe("io server disconnect");
  });

  it("counts players online across nodes in the lobby stats", async () => {
    const watcher = await connect(b, carol);
    sockets.push(watcher);
    await subscribeOk(watcher, { channels: ["lobby"] });
    const stats = record(watcher);
    const online = () => stats.notifications.filter((n) => n.event === "stats").map(playersOnline);
    await until(() => online().length > 0, "first lobby stats");
    const before = online().at(-1) ?? 0;
    const erin = await newPlayer(a.url, "erin");
    const erinOnA = await connect(a, erin);
    await until(() => online().at(-1) === before + 1, "erin, on node A, counted on node B");
    erinOnA.disconnect();
    await until(() => online().at(-1) === before, "erin gone");
  });

  it("keeps node B going when node A is killed; A's client reconnects to B and replays what it missed", async () => {
    const gameId = await createGame(a, alice, "Crash");
    await invite(a, alice, gameId, bob);
    const channel = `game:${gameId}`;
    const bobOnB = await tab(b, bob, channel);
    const bothHere = presenceBecomes(bobOnB.socket, channel, [alice.username, bob.username]);
    const aliceOnA = await tab(a, alice, channel);
    await bothHere;
    let cursor = aliceOnA.last;
    aliceOnA.socket.on("notification", (n: WireNotification) => n.id !== null && (cursor = Math.max(cursor, n.id)));

    const aliceDropped = presenceBecomes(bobOnB.socket, channel, [bob.username]);
    await a.kill("SIGKILL");
    await aliceDropped;

    const seenByBob = record(bobOnB.socket);
    // Four clicks in a row: a tally at once, then the window's merged one, which ends on 10.
    const lastClick = nextNotification(bobOnB.socket, (n) => n.event === "tally" && totalOf(n) === 10);
    for (const count of [1, 2, 3, 4]) await click(b, bob, gameId, count);
    await lastClick;
    // B's catch-up after A's death may send a notification again (clients drop ids they have).
    const missed = [...new Set(seenByBob.notifications.filter((n) => n.event === "tally").map((n) => n.id))];

    const back = await connect(b, alice);
    sockets.push(back);
    const ack = await subscribeOk(back, { channels: [channel], last: cursor });
    expect(ack.granted).toEqual([channel]);
    expect(ack.more).toBeUndefined();
    expect((ack.notifications ?? []).filter((n) => n.event === "tally").map((n) => n.id)).toEqual(missed);
  });
});
