// Rate limits across nodes (lib/runtime/keyed-rate-limit.ts): with Redis, two nodes spend from one
// budget, so a caller switching nodes gets no more than from one; with Redis away, each node
// still holds the caller to its own budget (the in-memory insurance), and nothing hangs.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TestServer } from "../support/server";
import { browserCaller, type Player } from "../api/api-client";
import {
  createGame,
  describeWithRedis,
  markLog,
  newPlayer,
  startNodes,
  startPrivateRedis,
  stopNodes,
  untilLogged,
  type PrivateRedis,
} from "./cluster-support";

const BURST = 10;

await describeWithRedis("rate limits shared by two nodes", () => {
  let redis: PrivateRedis;
  let nodes: TestServer[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    // The budget is BURST changes per BURST seconds (one a second): far longer than each test takes.
    nodes = await startNodes(2, redis.url, { MUTATION_BURST: String(BURST) });
    await untilLogged(nodes, "Redis link up");
  });

  afterAll(async () => {
    await stopNodes(nodes);
    await redis?.stop();
  });

  /** Renames the game through each node in turn until `tries`; the statuses, in order. */
  async function renames(player: Player, gameId: number, tries: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let index = 0; index < tries; index += 1) {
      const node = nodes[index % nodes.length] as TestServer;
      const answer = await fetch(`${node.url}/api/games/${gameId}`, {
        method: "PATCH",
        headers: { ...browserCaller(node.url, player.cookie).headers, "content-type": "application/json" },
        body: JSON.stringify({ name: `Rename ${index}` }),
      });
      statuses.push(answer.status);
    }
    return statuses;
  }

  it("gives a caller switching nodes one budget, not one per node", async () => {
    const [a] = nodes as [TestServer, TestServer];
    const alice = await newPlayer(a.url, "alice");
    // Creating the game spends one change too.
    const gameId = await createGame(a, alice, "Shared budget");
    const statuses = await renames(alice, gameId, 2 * BURST);
    expect(statuses.filter((status) => status === 200)).toHaveLength(BURST - 1);
    expect(statuses.slice(BURST - 1).every((status) => status === 429)).toBe(true);
  });

  it("holds each node to its own budget while Redis is away, without waiting on it", async () => {
    const [a] = nodes as [TestServer, TestServer];
    const bob = await newPlayer(a.url, "bob");
    const gameId = await createGame(a, bob, "Redis away");
    const down = markLog(nodes, "Redis link down");
    await redis.stop();
    await down.again();
    const statuses = await renames(bob, gameId, 2 * BURST + 2);
    // Node A counted the creation while Redis was there; each node's insurance starts afresh.
    const accepted = statuses.filter((status) => status === 200).length;
    expect(accepted).toBeGreaterThanOrEqual(BURST);
    expect(accepted).toBeLessThanOrEqual(2 * BURST);
    expect(statuses.slice(-2)).toEqual([429, 429]);
    await redis.start();
  });
});
