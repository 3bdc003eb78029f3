// addClicks: the hot write path. Validated, authorized, idempotent by (user, batchId), capped,
// rate-limited, and announced on the game's channel in the same transaction.
import { and, eq, sql } from "drizzle-orm";
import { clickBatches, games, members } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/users";
import { gameChannel } from "@/lib/bus/channel-name";
import { transact } from "@/lib/bus/transact";
import { db } from "@/db/client";
import { requireMember } from "./access";
import { recordActivity } from "./activity";
import { takeClickBatch } from "./click-rate";
import { GameError, parseInput } from "./errors";
import { milestonesCrossed } from "./milestones";
import { addClicksSchema } from "./schemas";

export type AddClicksResult = { total: number; counted: boolean };

function currentTotal(gameId: number): number {
  return db().select({ total: games.total }).from(games).where(eq(games.id, gameId)).get()?.total ?? 0;
}

function alreadyCounted(userId: number, batchId: string): boolean {
  const row = db()
    .select({ batchId: clickBatches.batchId })
    .from(clickBatches)
    .where(and(eq(clickBatches.userId, userId), eq(clickBatches.batchId, batchId)))
    .get();
  return row !== undefined;
}

export function addClicks(user: SessionUser, input: unknown): AddClicksResult {
  const { gameId, count, batchId } = parseInput(addClicksSchema, input);
  requireMember(gameId, user.id);
  // A retried batch answers with the total and costs no rate: retries must always succeed.
  if (alreadyCounted(user.id, batchId)) return { total: currentTotal(gameId), counted: false };
  if (!takeClickBatch(user.id)) throw new GameError("rate_limited", "Too many click batches; slow down.");

  return transact((scope) => {
    const { tx, announce } = scope;
    requireMember(gameId, user.id, tx);
    const inserted = tx.insert(clickBatches).values({ userId: user.id, batchId, gameId, count }).onConflictDoNothing().run();
    if (inserted.changes === 0) return { total: currentTotal(gameId), counted: false };
    const game = tx
      .update(games)
      .set({ total: sql`${games.total} + ${count}` })
      .where(eq(games.id, gameId))
      .returning({ total: games.total })
      .get();
    const member = tx
      .update(members)
      .set({ clicks: sql`${members.clicks} + ${count}` })
      .where(and(eq(members.gameId, gameId), eq(members.userId, user.id)))
      .returning({ clicks: members.clicks })
      .get();
    if (!game || !member) throw new GameError("not_found", "Game not found.");
    const by = { id: user.id, username: user.username };
    announce(gameChannel(gameId), "clicks", { total: game.total, by, count, contribution: member.clicks, batchId });
    for (const value of milestonesCrossed(game.total - count, game.total)) {
      announce(gameChannel(gameId), "milestone", { value, by });
      recordActivity(scope, gameId, "milestone", user.username, String(value));
    }
    return { total: game.total, counted: true };
  });
}
