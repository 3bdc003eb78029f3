// A round ends exactly once, whoever races to end it: four processes ending the same due rounds
// of one SQLite file at the same instant (as nodes sharing a database do), and a node killed
// mid-round whose round is ended by the node started after it, with the podium replayed.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, newPlayer, playerSocket } from "../api/api-client";
import { gameSummary } from "../api/answers";
import { busHarnessForFile, nextNotification, subscribeOk, type BusClient } from "../support/bus-harness";
import { startTestServer, type TestServer } from "../support/server";

const h = busHarnessForFile();
const ENDERS = 4;
const ROUNDS = 40;

function runEnder(databasePath: string, startAt: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/games/round-ender.ts"], {
      env: { ...process.env, DATABASE_PATH: databasePath, START_AT: String(startAt), LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      const line = output.trim().split("\n").at(-1) ?? "";
      if (code !== 0) reject(new Error(`ender exited with ${code}: ${output}`));
      else resolve(z.object({ ended: z.number().int() }).parse(JSON.parse(line)).ended);
    });
  });
}

/** The stored round_ended notifications, by round id. */
function endedAnnouncements(databasePath: string): Map<number, number> {
  const file = new Database(databasePath, { readonly: true });
  try {
    const rows = z.array(z.object({ payload: z.string() })).parse(file.prepare("select payload from bus_notifications where event = 'round_ended'").all());
    const counts = new Map<number, number>();
    for (const row of rows) {
      const { id } = z.object({ id: z.number() }).parse(JSON.parse(row.payload));
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  } finally {
    file.close();
  }
}

describe("ending a round", () => {
  it("ends each due round exactly once when four processes race to end them on one SQLite file", async () => {
    const { db, schema } = h.lib;
    const [owner, player] = await Promise.all([h.user("owner"), h.user("player")]);
    const now = Date.now();
    const ids: number[] = [];
    for (let index = 0; index < ROUNDS; index += 1) {
      const gameId = await h.gameWith(owner, player);
      const round = db.db().insert(schema.rounds).values({ gameId, startsAt: new Date(now - 10_000), endsAt: new Date(now - 1000) }).returning().get();
      db.db().insert(schema.roundScores).values([{ roundId: round.id, userId: player.id, clicks: 3 + index }, { roundId: round.id, userId: owner.id, clicks: 1 }]).run();
      ids.push(round.id);
    }
    const databasePath = process.env.DATABASE_PATH ?? "";
    const startAt = Date.now() + 4000;
    const ended = await Promise.all(Array.from({ length: ENDERS }, () => runEnder(databasePath, startAt)));

    expect(ended.reduce((sum, count) => sum + count, 0)).toBe(ROUNDS);
    const announced = endedAnnouncements(databasePath);
    for (const id of ids) expect(announced.get(id), `round ${id}`).toBe(1);
    const stored = db.db().select().from(schema.rounds).all().filter((round) => ids.includes(round.id));
    for (const round of stored) {
      expect(round.endedAt).not.toBeNull();
      expect(round.podium?.map((entry) => entry.username)).toEqual([player.username, owner.username]);
    }
  }, 60_000);
});

describe("a node that dies mid-round", () => {
  const nodes: TestServer[] = [];
  const sockets: BusClient[] = [];
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const node of nodes.reverse()) await node.stop();
  });

  it("has its round ended, once, by the node started after it; a tab subscribing from its cursor gets the podium", async () => {
    const first = await startTestServer();
    nodes.push(first);
    const alice = await newPlayer(first.url, "alice");
    const game = gameSummary.parse((await call(first.url, alice.browser, "POST", "/api/games", { json: { name: "Crash" } })).body);
    const socket = await playerSocket(first.url, alice);
    sockets.push(socket);
    const { last } = await subscribeOk(socket, { channels: [`game:${game.id}`] });
    const started = nextNotification(socket, (n) => n.event === "round_started");
    const round = z.object({ id: z.number(), endsAt: z.string() }).parse((await call(first.url, alice.browser, "POST", `/api/games/${game.id}/rounds`, { json: { seconds: 5 } })).body);
    await started;
    await call(first.url, alice.browser, "POST", `/api/games/${game.id}/clicks`, { json: { count: 4, batchId: randomUUID() } });
    // Crash: no graceful shutdown, so its timer for the round's end dies with it.
    await first.kill("SIGKILL");

    const second = await startTestServer({}, { dataDir: first.dataDir });
    nodes.push(second);
    const again = await playerSocket(second.url, alice);
    sockets.push(again);
    const live = nextNotification(again, (n) => n.event === "round_ended", "round_ended", 10_000);
    live.catch(() => undefined); // unawaited when the end comes in the replay instead
    const ack = await subscribeOk(again, { channels: [`game:${game.id}`], last });
    // Ended before the subscription (replayed in the ack) or after it (live): either way, once.
    const replay = z.object({ notifications: z.array(z.object({ event: z.string(), payload: z.unknown() })).default([]) }).parse(ack);
    const replayed = replay.notifications.find((n) => n.event === "round_ended");
    const ended = replayed ?? (await live);
    expect(ended.payload).toEqual({ id: round.id, podium: [{ userId: expect.any(Number), username: alice.username, clicks: 4 }] });
    expect(endedAnnouncements(first.databasePath).get(round.id)).toBe(1);
  }, 90_000);
});
