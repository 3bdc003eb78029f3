// lib/bus/node-registry.ts on the machine's Redis: every survivor that knew a node tells its
// death (entry expired: catch up) from a clean leave (entry removed by the node: presence only)
// by itself, from Redis alone, whichever survivor removed the entry and whether or not that one
// lives on to say so.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { NodeRegistry } from "@/lib/bus/node-registry";
import type { RedisClient } from "@/lib/bus/redis-link";
import { describeWithRedis, REDIS_URL, until } from "./cluster-support";

type Node = { registry: NodeRegistry; deaths: number[]; stopBeating: () => void };

let client: RedisClient;
const prefix = `clickbus-test-${randomUUID()}`;

await describeWithRedis("the node registry", () => {
  beforeAll(async () => {
    // lib/ reads its configuration once, on first use: a throwaway data directory and secret.
    process.env.DATABASE_PATH = join(mkdtempSync(join(tmpdir(), "clickbus-registry-")), "clickbus.db");
    process.env.AUTH_SECRET = randomBytes(32).toString("base64url");
    process.env.LOG_LEVEL = "silent";
    client = createClient({ url: REDIS_URL });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
  });

  /** A node whose link can "die": it stops beating without leaving, as a SIGKILLed one would. */
  async function node(): Promise<Node> {
    const { startNodeRegistry } = await import("@/lib/bus/node-registry");
    const deaths: number[] = [];
    const state = { beating: true };
    const link = { client, isUp: () => state.beating, close: async () => undefined };
    const registry = startNodeRegistry(link, prefix, (count) => deaths.push(count));
    registry.beatNow();
    return { registry, deaths, stopBeating: () => (state.beating = false) };
  }

  it("lets every survivor that knew a killed node catch up, and no one for a node that left", async () => {
    const [a, b, leaver, victim] = [await node(), await node(), await node(), await node()];
    const members = () => client.zCard(`${prefix}:nodes`);
    await until(async () => (await members()) === 4, "all four nodes in the registry");
    // Two beats later everyone knows everyone.
    await until(
      async () => (await client.zRangeByScore(`${prefix}:nodes`, Date.now() - 1500, "+inf")).length === 4,
      "fresh beats from all four",
    );

    await leaver.registry.leave();
    victim.stopBeating();
    await until(() => a.deaths.length > 0 && b.deaths.length > 0, "both survivors report the death", 15_000);
    expect({ a: a.deaths, b: b.deaths }).toEqual({ a: [1], b: [1] });
    await a.registry.leave();
    await b.registry.leave();
  }, 30_000);
});
