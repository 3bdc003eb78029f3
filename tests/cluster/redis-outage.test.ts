// Redis goes away under two running nodes (a private redis-server, killed and restarted): each
// node keeps serving its own sockets, logs the outage once, rejoins when Redis is back, and its
// sockets catch up on what other nodes committed meanwhile — no acknowledged click lost.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { nextNotification, nextRevoked, record, subscribeOk, type BusClient } from "../support/bus-harness";
import type { TestServer } from "../support/server";
import { browserCaller, type Player } from "../api/api-client";
import {
  click,
  connect,
  createGame,
  describeWithRedis,
  invite,
  markLog,
  newPlayer,
  startNodes,
  startPrivateRedis,
  stopNodes,
  timesLogged,
  totalOf,
  until,
  untilLogged,
  withNodeLogs,
  type PrivateRedis,
} from "./cluster-support";

const LINK_UP = "Redis link up";
const LINK_DOWN = "Redis link down";

/**
 * Lines of a node's output that show an error nobody handled: Node's own "Unhandled …" or
 * "uncaught" reports, or a Redis error printed outside a log line. A rejected publish that the
 * node caught and logged (a pino JSON line, e.g. "presence update failed" at warn) is fine.
 */
function unhandledErrors(output: string): string[] {
  const logged = (line: string): boolean => {
    try {
      return typeof (JSON.parse(line) as { msg?: unknown }).msg === "string";
    } catch {
      return false;
    }
  };
  return output
    .split("\n")
    .filter((line) => /unhandled|uncaught|SocketClosedUnexpectedlyError/i.test(line) && !logged(line));
}

await describeWithRedis(
  "a Redis outage under two nodes",
  () => {
    let redis: PrivateRedis;
    let nodes: TestServer[] = [];
    let a: TestServer;
    let b: TestServer;
    let alice: Player;
    let bob: Player;
    const sockets: BusClient[] = [];

    beforeAll(async () => {
      redis = await startPrivateRedis();
      nodes = await startNodes(2, redis.url);
      [a, b] = nodes as [TestServer, TestServer];
      await untilLogged(nodes, LINK_UP);
      alice = await newPlayer(a.url, "alice");
      bob = await newPlayer(b.url, "bob");
    });

    // A test that fails while Redis is stopped must not take the next tests down with it.
    afterEach(async () => {
      await redis.start();
    });

    afterAll(async () => {
      for (const socket of sockets) socket.disconnect();
      await stopNodes(nodes);
      await redis?.stop();
    });

    it("serves each node's own sockets during the outage and replays the rest when Redis returns", async () => {
      const gameId = await createGame(a, alice, "Outage");
      await invite(a, alice, gameId, bob);
      const channel = `game:${gameId}`;
      const bobOnB = await connect(b, bob);
      sockets.push(bobOnB);
      await subscribeOk(bobOnB, { channels: [channel] });
      const seen = record(bobOnB);
      const [down, up] = [markLog(nodes, LINK_DOWN), markLog(nodes, LINK_UP)];

      await redis.stop();
      await down.again();

      // Clicks through A are acknowledged while Redis is down; a click through B still reaches
      // B's own subscriber live.
      let total = 0;
      for (const count of [5, 6, 7]) total += await click(a, alice, gameId, count);
      const local = nextNotification(
        bobOnB,
        (n) => n.event === "tally" && totalOf(n) === total + 2,
        "live tally on B during the outage",
      );
      total += await click(b, bob, gameId, 2);
      await withNodeLogs(local, nodes);

      await redis.start();
      await up.again();
      await until(
        () => seen.notifications.some((n) => n.event === "tally" && totalOf(n) === 18),
        "A's tallies replayed on B",
      );

      // Each tally once by id (a client drops repeats), each a total the game had, and the last of
      // A's clicks and B's among them. A's three clicks may come as one, two or three tallies: the
      // first opens A's window, the others may fall inside it and be merged into one.
      const totalsById = new Map(seen.notifications.filter((n) => n.event === "tally").map((n) => [n.id, totalOf(n)]));
      const totals = [...totalsById.values()].sort((x, y) => x - y);
      expect(totals.filter((seenTotal) => ![5, 11, 18, 20].includes(seenTotal))).toEqual([]);
      expect(totals).toContain(18);
      expect(totals).toContain(20);
      expect(total).toBe(20);

      // And the link is whole again: a click through A reaches B live.
      // 20 s: the click commits on the database both nodes share while each node's catch-up
      // (access sweep, credentials, replay, presence) runs on it, in a CI run beside other suites.
      const live = nextNotification(
        bobOnB,
        (n) => n.event === "tally" && totalOf(n) === 21,
        "live tally after the outage",
        20_000,
      );
      await click(a, alice, gameId, 1);
      await withNodeLogs(live, nodes, () =>
        JSON.stringify({
          bobConnected: bobOnB.connected,
          revoked: seen.revoked,
          tallies: seen.notifications.filter((n) => n.event === "tally").map((n) => [n.id, totalOf(n)]),
        }),
      );
      // One outage, logged once by each node.
      expect(down.timesSince()).toEqual([1, 1]);
    });

    it("revokes, once Redis is back, a member removed on another node during the outage", async () => {
      const gameId = await createGame(a, alice, "Outage removal");
      const bobId = await invite(a, alice, gameId, bob);
      const channel = `game:${gameId}`;
      const bobOnB = await connect(b, bob);
      sockets.push(bobOnB);
      await subscribeOk(bobOnB, { channels: [channel] });
      const bobSees = record(bobOnB);
      const revoked = nextRevoked(bobOnB, { ms: 20_000 });
      const down = markLog(nodes, LINK_DOWN);

      await redis.stop();
      await down.again();
      const removed = await fetch(`${a.url}/api/games/${gameId}/members/${bobId}`, {
        method: "DELETE",
        headers: browserCaller(a.url, alice.cookie).headers,
      });
      expect(removed.status).toBe(204);
      await click(a, alice, gameId, 4);
      await redis.start();

      expect(await revoked).toEqual({ channel, reason: "removed" });
      const seen = record(bobOnB);
      const aliceOnB = await connect(b, alice);
      sockets.push(aliceOnB);
      await subscribeOk(aliceOnB, { channels: [channel] });
      const aliceSees = nextNotification(aliceOnB, (n) => n.event === "tally");
      await click(b, alice, gameId, 1);
      await aliceSees;
      expect(seen.notifications.filter((n) => n.channel === channel)).toEqual([]);
      // Nor was the click made after his removal replayed to him.
      expect(bobSees.notifications.filter((n) => n.event === "tally")).toEqual([]);
    });

    it("keeps both nodes up when Redis dies with announcements still unanswered", async () => {
      const gameId = await createGame(a, alice, "Mid-traffic");
      await invite(a, alice, gameId, bob);
      const [down, up] = [markLog(nodes, LINK_DOWN), markLog(nodes, LINK_UP)];
      // Paused, Redis holds every command: the publishes of these clicks wait for a reply that
      // never comes, and node-redis rejects them all when the connection dies.
      await redis.pause(10_000);
      for (const node of nodes)
        for (const count of [1, 2, 3]) await click(node, node === a ? alice : bob, gameId, count);
      await redis.stop();
      await down.again();

      for (const node of nodes) expect((await fetch(`${node.url}/api/health`)).ok).toBe(true);
      for (const node of nodes) expect(unhandledErrors(node.output())).toEqual([]);
      await redis.start();
      await up.again();
    });

    it("cuts one node off (its Redis user disabled): the other revokes its removals and gets its clicks when it is back", async () => {
      await redis.command(["ACL", "SETUSER", "node-a", "on", ">node-a-secret", "~*", "&*", "+@all"]);
      const pair = await startNodes(2, (index) =>
        index === 0 ? redis.url.replace("redis://", "redis://node-a:node-a-secret@") : redis.url,
      );
      const [cutOff, linked] = pair as [TestServer, TestServer];
      try {
        await untilLogged(pair, LINK_UP);
        // A new pair of nodes has a database of its own: new players.
        const erin = await newPlayer(cutOff.url, "erin");
        const frank = await newPlayer(cutOff.url, "frank");
        const carol = await newPlayer(cutOff.url, "carol");
        const dave = await newPlayer(cutOff.url, "dave");
        const gameId = await createGame(cutOff, erin, "Partition");
        await invite(cutOff, erin, gameId, frank);
        const carolId = await invite(cutOff, erin, gameId, carol);
        await invite(cutOff, erin, gameId, dave);
        const channel = `game:${gameId}`;
        const [frankOnLinked, carolOnLinked] = [await connect(linked, frank), await connect(linked, carol)];
        sockets.push(frankOnLinked, carolOnLinked);
        for (const socket of [frankOnLinked, carolOnLinked]) await subscribeOk(socket, { channels: [channel] });
        const [frankSees, carolSees] = [record(frankOnLinked), record(carolOnLinked)];
        const carolRevoked = nextRevoked(carolOnLinked, { ms: 15_000 });
        const [cutDown, cutUp, linkedDown] = [
          markLog([cutOff], LINK_DOWN),
          markLog([cutOff], LINK_UP),
          markLog([linked], LINK_DOWN),
        ];

        await redis.command(["ACL", "SETUSER", "node-a", "off"]);
        await redis.command(["CLIENT", "KILL", "USER", "node-a"]);
        await cutDown.again();
        const removed = await fetch(`${cutOff.url}/api/games/${gameId}/members/${carolId}`, {
          method: "DELETE",
          headers: browserCaller(cutOff.url, erin.cookie).headers,
        });
        expect(removed.status).toBe(204);
        // The linked node's access sweep finds it while the cut-off node still cannot say so.
        expect(await carolRevoked).toEqual({ channel, reason: "removed" });
        await click(cutOff, dave, gameId, 5);
        // The cut is the other node's alone: the linked one's link stayed up through it.
        expect(linkedDown.timesSince()).toEqual([0]);

        await redis.command(["ACL", "SETUSER", "node-a", "on"]);
        await cutUp.again();
        await until(
          () => frankSees.notifications.some((n) => n.event === "tally" && totalOf(n) === 5),
          "the cut-off node's tally reaches frank",
        );
        expect(carolSees.notifications.filter((n) => n.event === "tally")).toEqual([]);
      } finally {
        await stopNodes(pair);
      }
    });

    it("starts a node while Redis is away, says so once, and joins the cluster when Redis comes", async () => {
      const late = await startPrivateRedis({ running: false });
      const alone = await startNodes(1, late.url);
      try {
        await untilLogged(alone, LINK_DOWN);
        for (const node of alone) expect((await fetch(`${node.url}/api/health`)).ok).toBe(true);
        await late.start();
        await untilLogged(alone, LINK_UP);
        for (const node of alone) expect(timesLogged(node, LINK_DOWN)).toBe(1);
      } finally {
        await stopNodes(alone);
        await late.stop();
      }
    });
  },
  { ownServer: true },
);
