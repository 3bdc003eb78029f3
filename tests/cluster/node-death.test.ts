// Two nodes on one Redis, one of them reaching it through a proxy the test controls: a node that
// dies with its last publishes unsent (committed, acknowledged, never fanned out), or with its
// last tallies still waiting in its window, does not leave the other node's subscribers with a
// gap, and a node starting up serves only once it has joined.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, expect, it } from "vitest";
import { clicksAnswer } from "../api/answers";
import { browserCaller, call } from "../api/api-client";
import { record, subscribeOk, type BusClient } from "../support/bus-harness";
import type { TestServer } from "../support/server";
import { waitingTallies } from "../support/tally";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import {
  connect,
  createGame,
  describeWithRedis,
  newPlayer,
  REDIS_URL,
  startNodes,
  stopNodes,
  timesLogged,
  totalOf,
  until,
  untilLogged,
} from "./cluster-support";

/** The survivor notices a dead node within its heartbeat TTL (3 s) and a beat, then catches up. */
const CATCH_UP_MS = 15_000;
const SWEPT = "merged conflated announcements a node left waiting";

let nodes: TestServer[] = [];
let proxy: TcpProxy | undefined;
const sockets: BusClient[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await stopNodes(nodes);
  nodes = [];
  await proxy?.close();
  proxy = undefined;
});

afterAll(async () => {
  await stopNodes(nodes);
});

await describeWithRedis("a node dying or starting behind a Redis proxy", () => {
  it("gets the clicks that a node committed and acknowledged, then died before publishing or merging, to the other node's subscriber", async () => {
    proxy = await startTcpProxy(new URL(REDIS_URL));
    const via = proxy.url;
    nodes = await startNodes(2, (index) => (index === 1 ? via : REDIS_URL));
    const [a, b] = nodes as [TestServer, TestServer];
    await untilLogged(nodes, "Redis link up");
    const alice = await newPlayer(a.url, "alice");
    const gameId = await createGame(a, alice, "Last words");
    const socket = await connect(a, alice);
    sockets.push(socket);
    await subscribeOk(socket, { channels: [`game:${gameId}`] });

    proxy.swallow();
    const seen = record(socket);
    // The first click opens B's window: its tally is stored at once and its publish swallowed.
    // The second, right after, most likely falls inside that window and waits in bus_conflated
    // for a flush that B, killed at once, never runs: only a sweep on A can merge it then.
    let total = 0;
    for (const count of [4, 3]) {
      const answer = await call(b.url, browserCaller(b.url, alice.cookie), "POST", `/api/games/${gameId}/clicks`, {
        json: { count, batchId: randomUUID() },
      });
      total = clicksAnswer.parse(answer.body).total;
    }
    await b.kill("SIGKILL");
    expect(total).toBe(7);
    const leftWaiting = await waitingTallies(a.database, gameId);
    const tallies = () => seen.notifications.filter((n) => n.event === "tally");
    await until(
      () => tallies().some((n) => totalOf(n) === total),
      `a tally of the acknowledged total ${total} reaches node A's subscriber`,
      CATCH_UP_MS,
    );
    // Whichever way it came (A's catch-up replaying B's stored tally, or A's sweep merging what
    // B left waiting), nothing beyond what was committed is announced.
    expect(
      tallies()
        .map(totalOf)
        .filter((announced) => announced !== 4 && announced !== 7),
    ).toEqual([]);
    if (leftWaiting > 0) {
      // The line follows the sweep's commit (and so its emit): wait for it, do not race it.
      await until(() => timesLogged(a, SWEPT) > 0, "A logs that its sweep merged what B left waiting");
      expect(await waitingTallies(a.database, gameId)).toBe(0);
    }
    console.log(
      leftWaiting > 0
        ? `B died with ${leftWaiting} tally waiting: A's sweep merged it`
        : "B flushed its window before it died: A's catch-up replayed it",
    );
    seen.stop();
  });

  it("starts listening only after its Redis link is up", async () => {
    proxy = await startTcpProxy(new URL(REDIS_URL));
    // Far longer than listening takes, far shorter than the client's 2 s connect timeout.
    proxy.delayNewConnections(300);
    const via = proxy.url;
    nodes = await startNodes(1, via);
    const [node] = nodes as [TestServer];
    await untilLogged(nodes, "Redis link up");
    expect(node.output().indexOf("Redis link up")).toBeLessThan(node.output().indexOf("Clickbus is listening"));
  });
});
