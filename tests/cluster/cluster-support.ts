// Real multi-node setups for the scale-out tests: several production servers sharing one database
// (a SQLite file, or PostgreSQL on its run) and one Redis (the machine's, or a private redis-server this file starts and stops), and
// sockets, players and games on them. Without Redis the suite skips, unless REQUIRE_REDIS=1.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createClient } from "redis";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { redisAnswers } from "@/lib/bus/redis-link";
import type { WireNotification } from "@/lib/bus/events";
import { browserCaller, call, newPlayer, playerSocket, type Player } from "../api/api-client";
import { gameSummary, memberView } from "../api/answers";
import { subscribeOk, until, type BusClient } from "../support/bus-harness";
import { tallyPayload } from "../support/tally";

export { until };
import { freePort, startTestServer, type TestServer } from "../support/server";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Whether `redis-server` can be started here (the outage tests run their own). */
export function redisServerInstalled(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * `describe` when Redis answers (and, with `ownServer`, redis-server is installed); otherwise a
 * skip that says why, or a failing test under REQUIRE_REDIS=1 so CI cannot skip silently.
 */
export async function describeWithRedis(
  name: string,
  body: () => void,
  options: { ownServer?: boolean } = {},
): Promise<void> {
  if ((await redisAnswers(REDIS_URL)) && (!options.ownServer || redisServerInstalled())) {
    describe(name, body);
  } else if (process.env.REQUIRE_REDIS === "1") {
    describe(name, () =>
      it("needs Redis (REQUIRE_REDIS=1)", () =>
        expect.fail(`Redis does not answer at ${REDIS_URL}, or redis-server is not installed`)),
    );
  } else {
    console.warn(
      `\n  Skipping "${name}": no Redis at ${REDIS_URL}${options.ownServer ? " or no redis-server binary" : ""}. Install and start Redis (or set TEST_REDIS_URL) to run it.\n`,
    );
    describe.skip(name, body);
  }
}

/**
 * Starts `count` nodes one after the other (the first migrates) on one database and one Redis
 * prefix; `redisUrl` may differ per node (a node reaching Redis through a proxy). On SQLite they
 * share the first node's data directory (its file and secret); on PostgreSQL each has its own
 * directory, as on separate machines, and they share only the database, Redis and the
 * AUTH_SECRET from their environment. `more`: configuration every node gets besides.
 */
export async function startNodes(
  count: number,
  redisUrl: string | ((index: number) => string) = REDIS_URL,
  more: Record<string, string> = {},
): Promise<TestServer[]> {
  const prefix = `clickbus-test-${randomUUID()}`;
  const secret = { AUTH_SECRET: randomBytes(32).toString("base64url") };
  const env = (index: number) => ({
    REDIS_URL: typeof redisUrl === "string" ? redisUrl : redisUrl(index),
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "info",
    ...secret,
    ...more,
  });
  const first = await startTestServer(env(0));
  const nodes = [first];
  const { database } = first;
  for (let index = 1; index < count; index += 1) {
    nodes.push(
      database.engine === "postgres"
        ? await startTestServer({ ...env(index), DATABASE_URL: database.url })
        : await startTestServer(env(index), { dataDir: first.dataDir }),
    );
  }
  return nodes;
}

/** Stops every node; the first owns the shared data directory (on SQLite), so it goes last. */
export async function stopNodes(nodes: TestServer[]): Promise<void> {
  for (const node of [...nodes].reverse()) await node.stop();
}

/** How many times the node has logged `message`. */
export function timesLogged(node: TestServer, message: string): number {
  return node.output().split(message).length - 1;
}

/** Resolves once every node has logged `message` (e.g. that its Redis link is up) `times` times. */
export async function untilLogged(nodes: TestServer[], message: string, times = 1): Promise<void> {
  await until(
    () => nodes.every((node) => timesLogged(node, message) >= times),
    `every node logs "${message}" ${times}×`,
  );
}

/** How often each node logged `message` since the mark, and a wait for each to log it again. */
export type LogMark = { timesSince: () => number[]; again: () => Promise<void> };

/**
 * Marks where the nodes' logs stand, so a test counts only what it caused (a node may have logged
 * a line before, e.g. a Redis outage of an earlier test).
 */
export function markLog(nodes: TestServer[], message: string): LogMark {
  const before = nodes.map((node) => timesLogged(node, message));
  const timesSince = () => nodes.map((node, index) => timesLogged(node, message) - (before[index] ?? 0));
  return {
    timesSince,
    again: () => until(() => timesSince().every((times) => times > 0), `every node logs "${message}" again`),
  };
}

/** `waiting`, or its failure with the end of each node's log: what a flake in CI leaves to read. */
export async function withNodeLogs<T>(waiting: Promise<T>, nodes: TestServer[], state?: () => string): Promise<T> {
  try {
    return await waiting;
  } catch (error) {
    const logs = nodes.map(
      (node, index) => `--- node ${index} (last 4000 characters of its log):\n${node.output().slice(-4000)}`,
    );
    const seen = state ? `\n--- the test's sockets: ${state()}` : "";
    throw new Error(`${error instanceof Error ? error.message : String(error)}${seen}\n${logs.join("\n")}`, {
      cause: error,
    });
  }
}

export function connect(node: TestServer, player: Player): Promise<BusClient> {
  return playerSocket(node.url, player);
}

/**
 * A socket of `player` on `node`, granted `channel` (from `last`, when given), and kept in `opened`
 * for the test file to close; the socket and its ack's `last`.
 */
export async function follow(
  node: TestServer,
  player: Player,
  channel: string,
  opened: BusClient[],
  last?: number,
): Promise<{ socket: BusClient; last: number }> {
  const socket = await connect(node, player);
  opened.push(socket);
  const ack = await subscribeOk(socket, { channels: [channel], ...(last === undefined ? {} : { last }) });
  expect(ack.granted).toEqual([channel]);
  return { socket, last: ack.last };
}

export async function createGame(node: TestServer, owner: Player, name: string): Promise<number> {
  const answer = await call(node.url, browserCaller(node.url, owner.cookie), "POST", "/api/games", { json: { name } });
  return gameSummary.parse(answer.body).id;
}

export async function invite(node: TestServer, owner: Player, gameId: number, player: Player): Promise<number> {
  const answer = await call(node.url, browserCaller(node.url, owner.cookie), "POST", `/api/games/${gameId}/members`, {
    json: { username: player.username },
  });
  return memberView.parse(answer.body).id;
}

export async function click(node: TestServer, player: Player, gameId: number, count: number): Promise<number> {
  const answer = await call(node.url, browserCaller(node.url, player.cookie), "POST", `/api/games/${gameId}/clicks`, {
    json: { count, batchId: randomUUID() },
  });
  expect(answer.status).toBe(200);
  return count;
}

export { newPlayer };

const presencePayload = z.object({ players: z.array(z.object({ username: z.string() })) });

/** The game total a `tally` notification announces. */
export const totalOf = (notification: WireNotification): number => tallyPayload.parse(notification.payload).total;

/** The usernames a `presence` notification lists, sorted. */
export const presentNames = (notification: WireNotification): string[] =>
  presencePayload
    .parse(notification.payload)
    .players.map((player) => player.username)
    .sort();

/** A private redis-server on a free port, so a test can take Redis away and bring it back. */
export type PrivateRedis = {
  url: string;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  pause: (ms: number) => Promise<void>;
  /** Runs one command as the default (admin) user. */
  command: (args: string[]) => Promise<unknown>;
};

/** `running: false` only picks the port, for a test that starts Redis after the nodes. */
export async function startPrivateRedis({ running = true } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  /** Starts redis-server, unless it is running already. */
  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const server = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    child = server;
    let failed: Error | undefined;
    server.once("error", (error) => (failed = error));
    await until(() => {
      if (failed) throw failed;
      if (server.exitCode !== null) throw new Error(`redis-server exited with ${server.exitCode}`);
      return redisAnswers(url);
    }, "private redis-server answers");
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  const command = async (args: string[]) => {
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on("error", () => undefined);
    await client.connect();
    try {
      return await client.sendCommand(args);
    } finally {
      await client.close();
    }
  };
  /** CLIENT PAUSE: Redis holds every other client's commands, unanswered, for `ms`. */
  const pause = async (ms: number) => {
    await command(["CLIENT", "PAUSE", String(ms), "ALL"]);
  };
  if (running) await start();
  return { url, start, stop, pause, command };
}
