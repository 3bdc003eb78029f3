// What a crashed-and-restarted node left in its database, read from the database itself: the
// game's counted batches, total and members' counts, the stored notifications of its channel
// (the conflated tallies parsed), and the tallies still waiting in bus_conflated for a flush.
import { z } from "zod";
import { storedRow, storedRows } from "../support/stored-rows";
import { tallyPayload, TallyFold, type TallyPayloadShape } from "../support/tally";
import type { StoredDatabase } from "../support/test-database";

const batchRow = z.strictObject({ batchId: z.string(), userId: z.number().int(), count: z.number().int() });
const notificationRow = z.strictObject({
  id: z.number().int(),
  event: z.string(),
  payload: z.string(),
  createdAt: z.number(),
});
const totalRow = z.strictObject({ total: z.number().int() });
const memberRow = z.strictObject({ userId: z.number().int(), clicks: z.number().int() });
const waitingRow = z.strictObject({ payload: z.string() });
const lastIdRow = z.strictObject({ last: z.number().int().nullable() });

/** A stored notification as a failure report shows it: when it was committed, and a tally's total. */
export type StoredNotification = { id: number; event: string; at: number; total?: number };

export type StoredTally = { id: number; at: number; payload: TallyPayloadShape };

export type Stored = {
  /** batchId → count of every batch counted in the game. */
  batches: Map<string, number>;
  /**
   * Every total the game has had, when the database tells the order batches committed in: on
   * SQLite (one writer, so rowid order is commit order), not on PostgreSQL (ids are drawn before
   * the game row's lock decides the order).
   */
  totalsHad: Set<number> | undefined;
  /** Per player, every count they have had: their batches are sent one after the other, so their batch numbers are their commit order. */
  countsHad: Map<number, Set<number>>;
  total: number;
  /** userId → clicks, for members who clicked. */
  members: Map<number, number>;
  /** Ids of the channel's stored notifications, ascending. */
  notificationIds: number[];
  /** The channel's stored tallies, in id order. */
  tallies: StoredTally[];
  /** The stored tallies folded by the client's rule. */
  folded: TallyFold;
  notifications: Map<number, StoredNotification>;
};

const channelOf = (gameId: number) => `game:${gameId}`;

/**
 * The tallies a kill left waiting in bus_conflated, folded: what the announcement that merges them
 * must say at least. `after`: the channel's newest stored id then, so that announcement comes later.
 */
export type LeftWaiting = { rows: number; said: TallyFold; after: number };

export async function readLeftWaiting(database: StoredDatabase, gameId: number): Promise<LeftWaiting> {
  const rows = z
    .array(waitingRow)
    .parse(
      await storedRows(
        database,
        "SELECT payload FROM bus_conflated WHERE channel = ? AND event = 'tally' ORDER BY id",
        channelOf(gameId),
      ),
    );
  const said = new TallyFold();
  for (const row of rows) said.apply(tallyPayload.parse(JSON.parse(row.payload)));
  const last = lastIdRow.parse(
    await storedRow(database, "SELECT MAX(id) AS last FROM bus_notifications WHERE channel = ?", channelOf(gameId)),
  ).last;
  return { rows: rows.length, said, after: last ?? 0 };
}

/** Whether `payload` says at least what `said` does: a total as high, and every player it lists at a count as high. */
export function saysAtLeast(payload: TallyPayloadShape, said: TallyFold): boolean {
  const counts = new Map(payload.contributions.map((entry) => [entry.id, entry.clicks]));
  return (
    payload.total >= said.total && [...said.clicks].every(([player, clicks]) => (counts.get(player) ?? -1) >= clicks)
  );
}

/** Whether `payload` says nothing beyond `said`: a total no higher, and no player above their count there. */
export function saysAtMost(payload: TallyPayloadShape, said: TallyFold): boolean {
  return (
    payload.total <= said.total &&
    payload.contributions.every(({ id, clicks }) => clicks <= (said.clicks.get(id) ?? -1))
  );
}

/** The running sums of `counts`, in order: each value a total reached. */
function runningSums(counts: readonly number[]): Set<number> {
  let sum = 0;
  return new Set(counts.map((count) => (sum += count)));
}

export async function readStored(database: StoredDatabase, gameId: number): Promise<Stored> {
  // rowid: insertion order, which SQLite's single writer makes the commit order.
  const order = database.engine === "sqlite" ? "rowid" : "batch_id";
  const batches = z
    .array(batchRow)
    .parse(
      await storedRows(
        database,
        `SELECT batch_id AS "batchId", user_id AS "userId", count FROM click_batches WHERE game_id = ? ORDER BY ${order}`,
        gameId,
      ),
    );
  const rows = z
    .array(notificationRow)
    .parse(
      await storedRows(
        database,
        'SELECT id, event, payload, created_at AS "createdAt" FROM bus_notifications WHERE channel = ? ORDER BY id',
        channelOf(gameId),
      ),
    );
  const members = z
    .array(memberRow)
    .parse(
      await storedRows(
        database,
        'SELECT user_id AS "userId", clicks FROM members WHERE game_id = ? AND clicks > 0',
        gameId,
      ),
    );
  const tallies = rows
    .filter((row) => row.event === "tally")
    .map((row) => ({ id: row.id, at: row.createdAt, payload: tallyPayload.parse(JSON.parse(row.payload)) }));
  const folded = new TallyFold();
  for (const tally of tallies) folded.apply(tally.payload);
  const byPlayer = new Map<number, typeof batches>();
  for (const batch of batches) byPlayer.set(batch.userId, [...(byPlayer.get(batch.userId) ?? []), batch]);
  // A clicker's batch ids are its name and a zero-padded number: sorted, they are its send order.
  const countsHad = new Map(
    [...byPlayer].map(([userId, own]) => [
      userId,
      runningSums([...own].sort((a, b) => a.batchId.localeCompare(b.batchId)).map((batch) => batch.count)),
    ]),
  );
  const totalOfTally = new Map(tallies.map((tally) => [tally.id, tally.payload.total]));
  return {
    batches: new Map(batches.map((row) => [row.batchId, row.count])),
    totalsHad: database.engine === "sqlite" ? runningSums(batches.map((batch) => batch.count)) : undefined,
    countsHad,
    total: totalRow.parse(await storedRow(database, "SELECT total FROM games WHERE id = ?", gameId)).total,
    members: new Map(members.map((row) => [row.userId, row.clicks])),
    notificationIds: rows.map((row) => row.id),
    tallies,
    folded,
    notifications: new Map(
      rows.map((row) => [row.id, { id: row.id, event: row.event, at: row.createdAt, total: totalOfTally.get(row.id) }]),
    ),
  };
}
