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
    // The budget is BURST changes per BURST seconds (one a second).
    nodes = await startNodes(2, redis.url, { MUTATION_BURST: String(BURST) });
    await untilLogged(nodes, "Redis link up");
  });

  afterAll(async () => {
    await stopNodes(nodes);
    await redis?.stop();
  });

  /**
   * `tries` renames of the game at once, spread over both nodes; their statuses. At once, so
   * that all of them fall inside one window of the budget however slow the machine is.
   */
  async function renames(player: Player, gameId: number, tries: number): Promise<number[]> {
    const rename = async (index: number) => {
      const node = nodes[index % nodes.length] as TestServer;
      const answer = await fetch(`${node.url}/api/games/${gameId}`, {
        method: "PATCH",
        headers: { ...browserCaller(node.url, player.cookie).headers, "content-type": "application/json" },
        body: JSON.stringify({ name: `Rename ${index}` }),
      });
      return answer.status;
    };
    return Promise.all(Array.from({ length: tries }, (_, index) => rename(index)));
  }

  const count = (statuses: number[], status: number) => statuses.filter((seen) => seen === status).length;

  it("gives a caller switching nodes one budget, not one per node", async () => {
    const [a] = nodes as [TestServer, TestServer];
    const alice = await newPlayer(a.url, "alice");
    // Creating the game spends one change too.
    const gameId = await createGame(a, alice, "Shared budget");
    const statuses = await renames(alice, gameId, 2 * BURST);
    expect({ ok: count(statuses, 200), limited: count(statuses, 429) }).toEqual({ ok: BURST - 1, limited: BURST + 1 });
  });

  it("holds each node to its own budget while Redis is away, without waiting on it", async () => {
    const [a] = nodes as [TestServer, TestServer];
    const bob = await newPlayer(a.url, "bob");
    const gameId = await createGame(a, bob, "Redis away");
    const down = markLog(nodes, "Redis link down");
    await redis.stop();
    await down.again();
    const statuses = await renames(bob, gameId, 2 * BURST + 2);
    // Each node's insurance holds its own budget, so both together let two budgets through (Node
    // A counted the creation in Redis, not in its insurance); no request waited on Redis.
    expect({ ok: count(statuses, 200), limited: count(statuses, 429) }).toEqual({ ok: 2 * BURST, limited: 2 });
    await redis.start();
  });
});
