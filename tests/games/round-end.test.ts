// A round ends exactly once, whoever races to end it: four processes ending the same due rounds
// of one database (a SQLite file, or PostgreSQL on that run) at the same instant (as nodes sharing
// a database do), a click batch whose transaction overlaps the end (counted in the podium when it
// commits first, kept out of the round when the end does), and a node killed mid-round whose
// round is ended by the node started after it, with the podium replayed.
import { AsyncLocalStorage } from "node:async_hooks";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { call, newPlayer, playerSocket } from "../api/api-client";
import { gameSummary } from "../api/answers";
import { busHarnessForFile, nextNotification, subscribeOk, until, type BusClient } from "../support/bus-harness";
import { startTestServer, type TestServer } from "../support/server";
import { storedRows } from "../support/stored-rows";

const h = busHarnessForFile();
const ENDERS = 4;
const ROUNDS = 40;

/** One ender process on this process's database (DATABASE_PATH, or DATABASE_URL on PostgreSQL). */
function runEnder(startAt: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/games/round-ender.ts"], {
      env: { ...process.env, START_AT: String(startAt), LOG_LEVEL: "silent" },
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

/** How many round_ended notifications were stored for each round id, from their payloads. */
function endedAnnouncements(rows: unknown[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const row of z.array(z.object({ payload: z.string() })).parse(rows)) {
    const { id } = z.object({ id: z.number() }).parse(JSON.parse(row.payload));
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe("ending a round", () => {
  it("ends each due round exactly once when four processes race to end them on one database", async () => {
    const { eq, inArray } = await import("drizzle-orm");
    // After the harness has set the environment: @/db/tables picks the engine's tables at import.
    const { roundScores, rounds } = await import("@/db/tables");
    const { busNotifications } = await import("@/lib/bus/tables");
    const { db, transaction } = h.lib.db;
    const [owner, player] = await Promise.all([h.user("owner"), h.user("player")]);
    const now = Date.now();
    const ids: number[] = [];
    for (let index = 0; index < ROUNDS; index += 1) {
      const gameId = await h.gameWith(owner, player);
      const id = await transaction(async (tx) => {
        const [round] = await tx
          .insert(rounds)
          .values({ gameId, startsAt: new Date(now - 10_000), endsAt: new Date(now - 1000) })
          .returning();
        if (!round) throw new Error("no round inserted");
        await tx.insert(roundScores).values([
          { roundId: round.id, userId: player.id, clicks: 3 + index },
          { roundId: round.id, userId: owner.id, clicks: 1 },
        ]);
        return round.id;
      });
      ids.push(id);
    }
    const startAt = Date.now() + 4000;
    const ended = await Promise.all(Array.from({ length: ENDERS }, () => runEnder(startAt)));

    expect(ended.reduce((sum, count) => sum + count, 0)).toBe(ROUNDS);
    const announced = endedAnnouncements(
      await db()
        .select({ payload: busNotifications.payload })
        .from(busNotifications)
        .where(eq(busNotifications.event, "round_ended")),
    );
    for (const id of ids) expect(announced.get(id), `round ${id}`).toBe(1);
    const stored = await db().select().from(rounds).where(inArray(rounds.id, ids));
    expect(stored).toHaveLength(ROUNDS);
    for (const round of stored) {
      expect(round.endedAt).not.toBeNull();
      expect(round.podium?.map((entry) => entry.username)).toEqual([player.username, owner.username]);
    }
  }, 60_000);
});

/** A gate: `open()` lets whoever awaits `passed` go on. */
function gate(): { passed: Promise<void>; open: () => void } {
  let open = () => {};
  const passed = new Promise<void>((resolve) => (open = resolve));
  return { passed, open };
}

/**
 * Runs `work` in a transaction held open until the returned `commit` is called: a transact inside
 * another joins it, so whatever `work` writes through lib/ commits only then.
 */
async function heldOpen(work: () => Promise<unknown>): Promise<{ commit: () => Promise<void> }> {
  const [inside, release] = [gate(), gate()];
  const done = h.lib.transact.transact(async () => {
    await work();
    inside.open();
    await release.passed;
  });
  done.catch(() => undefined); // awaited by commit(); a failure before that rejects `inside` below
  await Promise.race([inside.passed, done]);
  return {
    commit: async () => {
      release.open();
      await done;
    },
  };
}

/**
 * Starts `operation` and resolves, with its result to come, once it waits for the transaction the
 * test holds open: on SQLite once it asks for a transaction (the held one has this process's only
 * writer turn), on PostgreSQL once a session of this file's database waits for a lock. Resolves as
 * well when the operation finishes without waiting (what a missing lock would let it do): the
 * assertions then tell.
 */
async function startWaiting<T>(operation: () => Promise<T>): Promise<{ result: Promise<T> }> {
  const { engine, useEngine: installEngine } = h.lib.db;
  const real = engine();
  const asked = gate();
  const mine = new AsyncLocalStorage<true>();
  // The engine as it is, told when this operation (not a sweep of the bus) asks for a transaction.
  installEngine({
    ...real,
    transaction: (work) => {
      if (mine.getStore()) asked.open();
      return real.transaction(work);
    },
  });
  let settled = false;
  const running = mine.run(true, operation);
  const finished = running.then(
    () => (settled = true),
    () => (settled = true),
  );
  try {
    await Promise.race([asked.passed, finished]);
    const pool = real.postgres;
    if (pool) {
      const waiting = async () => {
        const { rows } = await pool.query<{ waiting: number }>(
          "select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        return (rows[0]?.waiting ?? 0) > 0;
      };
      await until(async () => settled || (await waiting()), "the operation waits for the held transaction's lock");
    }
  } finally {
    installEngine(real);
  }
  return { result: running };
}

describe("a click batch and the round's end at the same time", () => {
  async function runningRound() {
    const { startRound } = await import("@/lib/games/rounds");
    const owner = await h.user("owner");
    const gameId = await h.gameWith(owner);
    return { owner, gameId, round: await startRound(owner, gameId, { seconds: 60 }) };
  }

  it("counts in the podium a batch whose transaction was still open when the owner ended the round", async () => {
    const { endRoundEarly } = await import("@/lib/games/rounds");
    const { owner, gameId, round } = await runningRound();
    const click = await heldOpen(() => h.lib.clicks.addClicks(owner, { gameId, count: 7, batchId: randomUUID() }));
    const ending = await startWaiting(() => endRoundEarly(owner, gameId, round.id));
    await click.commit();
    expect((await ending.result).podium).toEqual([{ userId: owner.id, username: owner.username, clicks: 7 }]);
  });

  it("keeps out of the round a batch that commits after the round's end", async () => {
    const { endRoundEarly } = await import("@/lib/games/rounds");
    const { standingsOf } = await import("@/lib/games/round-scores");
    const { owner, gameId, round } = await runningRound();
    await h.lib.clicks.addClicks(owner, { gameId, count: 2, batchId: randomUUID() });
    let podium: unknown;
    const end = await heldOpen(async () => (podium = (await endRoundEarly(owner, gameId, round.id)).podium));
    const clicking = await startWaiting(() =>
      h.lib.clicks.addClicks(owner, { gameId, count: 7, batchId: randomUUID() }),
    );
    await end.commit();
    // The batch counts for the game, not for the ended round: its scores are the podium's.
    expect(await clicking.result).toMatchObject({ total: 9, counted: true });
    expect(podium).toEqual([{ userId: owner.id, username: owner.username, clicks: 2 }]);
    expect(await standingsOf(round.id, 10)).toEqual(podium);
  });
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
    const game = gameSummary.parse(
      (await call(first.url, alice.browser, "POST", "/api/games", { json: { name: "Crash" } })).body,
    );
    const socket = await playerSocket(first.url, alice);
    sockets.push(socket);
    const { last } = await subscribeOk(socket, { channels: [`game:${game.id}`] });
    const started = nextNotification(socket, (n) => n.event === "round_started");
    const round = z
      .object({ id: z.number(), endsAt: z.string() })
      .parse(
        (await call(first.url, alice.browser, "POST", `/api/games/${game.id}/rounds`, { json: { seconds: 5 } })).body,
      );
    await started;
    await call(first.url, alice.browser, "POST", `/api/games/${game.id}/clicks`, {
      json: { count: 4, batchId: randomUUID() },
    });
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
    const replay = z
      .object({ notifications: z.array(z.object({ event: z.string(), payload: z.unknown() })).default([]) })
      .parse(ack);
    const replayed = replay.notifications.find((n) => n.event === "round_ended");
    const ended = replayed ?? (await live);
    expect(ended.payload).toEqual({
      id: round.id,
      podium: [{ userId: expect.any(Number), username: alice.username, clicks: 4 }],
    });
    const stored = await storedRows(
      first.database,
      "select payload from bus_notifications where event = 'round_ended'",
    );
    expect(endedAnnouncements(stored).get(round.id)).toBe(1);
  }, 90_000);
});
