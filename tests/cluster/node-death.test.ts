// Two nodes on one Redis, one of them reaching it through a proxy the test controls: a node that
// dies with its last publishes unsent (committed, acknowledged, never fanned out) does not leave
// the other node's subscribers with a gap, and a node starting up serves only once it has joined.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, expect, it } from "vitest";
import { clicksAnswer } from "../api/answers";
import { browserCaller, call } from "../api/api-client";
import { record, subscribeOk, type BusClient } from "../support/bus-harness";
import type { TestServer } from "../support/server";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { connect, createGame, describeWithRedis, newPlayer, REDIS_URL, startNodes, stopNodes, until, untilLogged } from "./cluster-support";

/** The survivor notices a dead node within its heartbeat TTL (3 s) and a beat, then catches up. */
const CATCH_UP_MS = 15_000;

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
  it("gets a click that a node committed and acknowledged, then died before publishing, to the other node's subscriber", async () => {
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
    const batchId = randomUUID();
    const seen = record(socket);
    const answer = await call(b.url, browserCaller(b.url, alice.cookie), "POST", `/api/games/${gameId}/clicks`, { json: { count: 4, batchId } });
    expect(clicksAnswer.parse(answer.body).total).toBe(4);
    await b.kill("SIGKILL");
    const clicks = () => seen.notifications.filter((n) => n.event === "clicks");
    await until(() => clicks().length > 0, "the dead node's click reaches node A's subscriber", CATCH_UP_MS);
    expect(clicks()[0]?.payload).toMatchObject({ batchId, total: 4 });
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
