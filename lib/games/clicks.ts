// addClicks: the hot write path. Validated, authorized, idempotent by (user, batchId), capped,
// rate-limited, committed in a group with the batches that arrived meanwhile, counted to the
// running round, announced on the game's channel (a conflated tally) in the same transaction,
// and answered with the node's pace for the next batch.
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { preparedOnce } from "@/lib/sql/prepared";
import { clickBatches, games, members } from "@/db/tables";
import type { SessionUser } from "@/lib/auth/users";
import { gameChannel } from "@/lib/games/channels";
import { transact, type TransactionScope } from "@/lib/realtime/transact";
import { clickAnswerHistogram, clickBatchesCounter } from "./click-metrics";
import { requireMember } from "./access";
import { recordActivity } from "./activity";
import { takeClickBatch } from "./click-rate";
import { AppError, parseInput } from "@/lib/runtime/app-error";
import { GroupCommit, type GroupAnswer } from "@/lib/runtime/group-commit";
import { processSingleton } from "@/lib/runtime/process-singleton";
import { clickPace } from "./click-pace";
import { milestonesCrossed } from "./milestones";
import { addToRunningRound } from "./round-scores";
import { addClicksSchema } from "./schemas";

/** `paceMs`: how long this player should wait before sending the next batch (the node's pace for the room). */
export type AddClicksResult = { total: number; counted: boolean; paceMs: number };

type Batch = { userId: number; batchId: string; gameId: number; count: number };

const p = sql.placeholder;
// Names are PostgreSQL's prepared-statement names (one per statement text, unique in the app).
const statements = preparedOnce(db, (connection) => ({
  total: connection
    .select({ total: games.total })
    .from(games)
    .where(eq(games.id, p("gameId")))
    .limit(1)
    .prepare("clicks_total"),
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
  const arrivedAt = performance.now();
  const { gameId, count, batchId } = parseInput(addClicksSchema, input);
  await requireMember(gameId, user.id);
  clickPace().arrived(user.id);
  // A retried batch answers with the total and costs no rate: retries must always succeed.
  // Only a shortcut: the insert below is what keeps a batch from counting twice.
  if (await alreadyCounted(user.id, batchId))
    return answered(user, arrivedAt, { total: await currentTotal(gameId), counted: false });
  if (!(await takeClickBatch(user.id))) throw new AppError("rate_limited", "Too many click batches; slow down.");
  return answered(
    user,
    arrivedAt,
    await clickGroup().submit({ user, batch: { userId: user.id, batchId, gameId, count } }),
  );
}

type Counted = Omit<AddClicksResult, "paceMs">;
type Submitted = { user: SessionUser; batch: Batch };

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "click-group-commit": GroupCommit<Submitted, Counted>;
  }
}

// One group commit per process: batches that arrive while a transaction is in flight (SQLite has
// one writer; PostgreSQL's game row serializes a room anyway) are committed together in the next.
const clickGroup = () =>
  processSingleton("click-group-commit", () => new GroupCommit<Submitted, Counted>(commitBatches));

/** A group of batches in one transaction, each answered on its own (one not a member any more fails alone). */
async function commitBatches(group: readonly Submitted[]): Promise<GroupAnswer<Counted>[]> {
  return transact(async (scope) => {
    const answers: GroupAnswer<Counted>[] = [];
    for (const submitted of group) {
      try {
        answers.push({ ok: true, value: await commitBatch(scope, submitted) });
      } catch (error) {
        // Only a refusal that wrote nothing is this batch's alone; anything else fails the group.
        if (!(error instanceof AppError)) throw error;
        answers.push({ ok: false, error });
      }
    }
    return answers;
  });
}

async function commitBatch(scope: TransactionScope, { user, batch }: Submitted): Promise<Counted> {
  await requireMember(batch.gameId, user.id);
  const inserted = await statements().insertBatch.execute(batch);
  if (inserted.length === 0) return { total: await currentTotal(batch.gameId), counted: false };
  return { total: await countBatch(scope, batch, user), counted: true };
}

/** Adds a newly inserted batch to the game, the member and the running round, and announces it; the new total. */
async function countBatch(scope: TransactionScope, batch: Batch, user: SessionUser): Promise<number> {
  const [game] = await statements().addToGame.execute(batch);
  const [member] = await statements().addToMember.execute(batch);
  // The batch row and the game's total are written by now, so this cannot be the batch's own
  // refusal (an AppError would let the group commit them): the whole group rolls back and its
  // batches are retried. Only on PostgreSQL, when the member was removed after requireMember.
  if (!game || !member) throw new Error("the player left the game while their batch was being committed");
  const score = await addToRunningRound({ gameId: batch.gameId, userId: user.id, count: batch.count, now: new Date() });
  const by = { id: user.id, username: user.username };
  const { announce } = scope;
  // Conflated by the game's kind: one tally per window, whatever the number of batches.
  announce(gameChannel(batch.gameId), "tally", {
    total: game.total,
    contributions: [{ ...by, clicks: member.clicks }],
    ...(score && { round: { id: score.roundId, contributions: [{ ...by, clicks: score.clicks }] } }),
  });
  for (const value of milestonesCrossed(game.total - batch.count, game.total)) {
    announce(gameChannel(batch.gameId), "milestone", { value, by });
    await recordActivity(scope, batch.gameId, "milestone", user.username, String(value));
  }
  return game.total;
}

function answered(user: SessionUser, arrivedAt: number, result: Counted): AddClicksResult {
  clickBatchesCounter().inc({ outcome: result.counted ? "counted" : "repeat" });
  const answerMs = performance.now() - arrivedAt;
  clickAnswerHistogram().observe(answerMs / 1000);
  return { ...result, paceMs: clickPace().answered(user.id, answerMs) };
}
