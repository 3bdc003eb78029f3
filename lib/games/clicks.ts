// addClicks: the hot write path. Validated, authorized, idempotent by (user, batchId), capped,
// rate-limited, counted to the running round, and announced on the game's channel in the same
// transaction.
import { and, eq, sql } from "drizzle-orm";
import { preparedOnce } from "@/db/prepared";
import { clickBatches, games, members } from "@/db/tables";
import type { SessionUser } from "@/lib/auth/users";
import { gameChannel } from "@/lib/games/channels";
import { transact, type TransactionScope } from "@/lib/bus/transact";
import { clickBatchesCounter } from "./click-metrics";
import { gameNotFound, requireMember } from "./access";
import { recordActivity } from "./activity";
import { takeClickBatch } from "./click-rate";
import { AppError, parseInput } from "@/lib/runtime/app-error";
import { milestonesCrossed } from "./milestones";
import { addToRunningRound } from "./round-scores";
import { addClicksSchema } from "./schemas";

/** `paceMs`: how long this player should wait before sending the next batch (the node's pace for the room). */
export type AddClicksResult = { total: number; counted: boolean; paceMs: number };

type Batch = { userId: number; batchId: string; gameId: number; count: number };

const p = sql.placeholder;
// Names are PostgreSQL's prepared-statement names (one per statement text, unique in the app).
const statements = preparedOnce((connection) => ({
  total: connection.select({ total: games.total }).from(games).where(eq(games.id, p("gameId"))).limit(1).prepare("clicks_total"),
  counted: connection
    .select({ batchId: clickBatches.batchId })
    .from(clickBatches)
    .where(and(eq(clickBatches.userId, p("userId")), eq(clickBatches.batchId, p("batchId"))))
    .limit(1)
    .prepare("clicks_counted"),
  // Exactly once by the primary key: a retry (on any node, even concurrent) inserts nothing.
  insertBatch: connection
    .insert(clickBatches)
    .values({ userId: p("userId"), batchId: p("batchId"), gameId: p("gameId"), count: p("count") })
    .onConflictDoNothing()
    .returning({ batchId: clickBatches.batchId })
    .prepare("clicks_insert_batch"),
  addToGame: connection
    .update(games)
    .set({ total: sql`${games.total} + ${p("count")}` })
    .where(eq(games.id, p("gameId")))
    .returning({ total: games.total })
    .prepare("clicks_add_to_game"),
  addToMember: connection
    .update(members)
    .set({ clicks: sql`${members.clicks} + ${p("count")}` })
    .where(and(eq(members.gameId, p("gameId")), eq(members.userId, p("userId"))))
    .returning({ clicks: members.clicks })
    .prepare("clicks_add_to_member"),
}));

async function currentTotal(gameId: number): Promise<number> {
  const [row] = await statements().total.execute({ gameId });
  return row?.total ?? 0;
}

async function alreadyCounted(userId: number, batchId: string): Promise<boolean> {
  const [row] = await statements().counted.execute({ userId, batchId });
  return row !== undefined;
}

export async function addClicks(user: SessionUser, input: unknown): Promise<AddClicksResult> {
  const { gameId, count, batchId } = parseInput(addClicksSchema, input);
  await requireMember(gameId, user.id);
  // A retried batch answers with the total and costs no rate: retries must always succeed.
  // Only a shortcut: the insert below is what keeps a batch from counting twice.
  if (await alreadyCounted(user.id, batchId)) return answered({ total: await currentTotal(gameId), counted: false });
  if (!takeClickBatch(user.id)) throw new AppError("rate_limited", "Too many click batches; slow down.");

  return answered(
    await transact(async (scope) => {
      await requireMember(gameId, user.id);
      const batch = { userId: user.id, batchId, gameId, count };
      const inserted = await statements().insertBatch.execute(batch);
      if (inserted.length === 0) return { total: await currentTotal(gameId), counted: false };
      return { total: await countBatch(scope, batch, user), counted: true };
    }),
  );
}

/** Adds a newly inserted batch to the game, the member and the running round, and announces it; the new total. */
async function countBatch(scope: TransactionScope, batch: Batch, user: SessionUser): Promise<number> {
  const [game] = await statements().addToGame.execute(batch);
  const [member] = await statements().addToMember.execute(batch);
  if (!game || !member) throw gameNotFound();
  await addToRunningRound({ gameId: batch.gameId, userId: user.id, count: batch.count, now: new Date() });
  const by = { id: user.id, username: user.username };
  const { announce } = scope;
  announce(gameChannel(batch.gameId), "clicks", { total: game.total, by, count: batch.count, contribution: member.clicks, batchId: batch.batchId });
  for (const value of milestonesCrossed(game.total - batch.count, game.total)) {
    announce(gameChannel(batch.gameId), "milestone", { value, by });
    await recordActivity(scope, batch.gameId, "milestone", user.username, String(value));
  }
  return game.total;
}

function answered(result: AddClicksResult): AddClicksResult {
  clickBatchesCounter().inc({ outcome: result.counted ? "counted" : "repeat" });
  return result;
}
