// addClicks: the hot write path. Validated, authorized, idempotent by (user, batchId), capped,
// rate-limited, counted to the running round, and announced on the game's channel in the same
// transaction.
import { and, eq, sql } from "drizzle-orm";
import { preparedOnce } from "@/db/prepared";
import { clickBatches, games, members } from "@/db/tables";
import type { SessionUser } from "@/lib/auth/users";
import { gameChannel } from "@/lib/games/channels";
import { transact } from "@/lib/bus/transact";
import { clickBatchesCounter } from "./click-metrics";
import { gameNotFound, requireMember } from "./access";
import { recordActivity } from "./activity";
import { takeClickBatch } from "./click-rate";
import { AppError, parseInput } from "@/lib/runtime/app-error";
import { milestonesCrossed } from "./milestones";
import { addToRunningRound } from "./round-scores";
import { addClicksSchema } from "./schemas";

export type AddClicksResult = { total: number; counted: boolean };

const p = sql.placeholder;
const statements = preparedOnce((connection) => ({
  total: connection.select({ total: games.total }).from(games).where(eq(games.id, p("gameId"))).prepare(),
  counted: connection
    .select({ batchId: clickBatches.batchId })
    .from(clickBatches)
    .where(and(eq(clickBatches.userId, p("userId")), eq(clickBatches.batchId, p("batchId"))))
    .prepare(),
  insertBatch: connection
    .insert(clickBatches)
    .values({ userId: p("userId"), batchId: p("batchId"), gameId: p("gameId"), count: p("count") })
    .onConflictDoNothing()
    .prepare(),
  addToGame: connection
    .update(games)
    .set({ total: sql`${games.total} + ${p("count")}` })
    .where(eq(games.id, p("gameId")))
    .returning({ total: games.total })
    .prepare(),
  addToMember: connection
    .update(members)
    .set({ clicks: sql`${members.clicks} + ${p("count")}` })
    .where(and(eq(members.gameId, p("gameId")), eq(members.userId, p("userId"))))
    .returning({ clicks: members.clicks })
    .prepare(),
}));

function currentTotal(gameId: number): number {
  return statements().total.get({ gameId })?.total ?? 0;
}

function alreadyCounted(userId: number, batchId: string): boolean {
  return statements().counted.get({ userId, batchId }) !== undefined;
}

export async function addClicks(user: SessionUser, input: unknown): Promise<AddClicksResult> {
  const { gameId, count, batchId } = parseInput(addClicksSchema, input);
  requireMember(gameId, user.id);
  // A retried batch answers with the total and costs no rate: retries must always succeed.
  if (alreadyCounted(user.id, batchId)) return answered({ total: currentTotal(gameId), counted: false });
  if (!takeClickBatch(user.id)) throw new AppError("rate_limited", "Too many click batches; slow down.");

  return answered(transact((scope) => {
    const { announce } = scope;
    requireMember(gameId, user.id);
    const params = { userId: user.id, batchId, gameId, count };
    const inserted = statements().insertBatch.run(params);
    if (inserted.changes === 0) return { total: currentTotal(gameId), counted: false };
    const game = statements().addToGame.get(params);
    const member = statements().addToMember.get(params);
    if (!game || !member) throw gameNotFound();
    addToRunningRound({ gameId, userId: user.id, count, now: Date.now() });
    const by = { id: user.id, username: user.username };
    announce(gameChannel(gameId), "clicks", { total: game.total, by, count, contribution: member.clicks, batchId });
    for (const value of milestonesCrossed(game.total - count, game.total)) {
      announce(gameChannel(gameId), "milestone", { value, by });
      recordActivity(scope, gameId, "milestone", user.username, String(value));
    }
    return { total: game.total, counted: true };
  }));
}

function answered(result: AddClicksResult): AddClicksResult {
  clickBatchesCounter().inc({ outcome: result.counted ? "counted" : "repeat" });
  return result;
}
