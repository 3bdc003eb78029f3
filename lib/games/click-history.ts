// A game's clicks per second over the last minute, from its click batches: the first frame of
// the presenter screen's chart (the bus's `clicks` notifications keep it going).
import { and, eq, gt, sql, sum, type SQL } from "drizzle-orm";
import { db, engine } from "@/db/client";
import { clickBatches } from "@/db/tables";
import { RATE_WINDOW_SECONDS } from "./client/rate-window";

/** The whole epoch second of a batch: SQLite stores epoch milliseconds, PostgreSQL a timestamptz. */
function epochSecond(): SQL<number> {
  const at = clickBatches.createdAt;
  const second =
    engine().dialect === "postgres"
      ? sql`cast(floor(extract(epoch from ${at})) as bigint)`
      : sql`cast(${at} / 1000 as integer)`;
  return second.mapWith(Number);
}

/** Pairs of [epoch second, clicks] for the last minute before `now`. */
export async function recentClicksPerSecond(gameId: number, now = Date.now()): Promise<Array<[number, number]>> {
  const second = epochSecond();
  const rows = await db()
    .select({ second, clicks: sum(clickBatches.count).mapWith(Number) })
    .from(clickBatches)
    .where(and(eq(clickBatches.gameId, gameId), gt(clickBatches.createdAt, new Date(now - RATE_WINDOW_SECONDS * 1000))))
    .groupBy(second);
  return rows.map((row) => [row.second, row.clicks]);
}
