// A game's clicks per second over the last minute, from its click batches: the first frame of
// the presenter screen's chart (the bus's `clicks` notifications keep it going).
import { and, eq, gt, sql, sum } from "drizzle-orm";
import { db } from "@/db/client";
import { clickBatches } from "@/db/tables";
import { RATE_WINDOW_SECONDS } from "./client/rate-window";

/** Pairs of [epoch second, clicks] for the last minute before `now`. */
export async function recentClicksPerSecond(gameId: number, now = Date.now()): Promise<Array<[number, number]>> {
  const second = sql<number>`cast(${clickBatches.createdAt} / 1000 as integer)`;
  return db()
    .select({ second, clicks: sum(clickBatches.count).mapWith(Number) })
    .from(clickBatches)
    .where(and(eq(clickBatches.gameId, gameId), gt(clickBatches.createdAt, new Date(now - RATE_WINDOW_SECONDS * 1000))))
    .groupBy(second)
    .all()
    .map((row) => [row.second, row.clicks]);
}
