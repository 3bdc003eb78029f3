// "Keep the newest N rows of each group" for tables that only grow (a channel's notifications,
// a game's activity): one pass with a window function finds, per group that has more, the id of
// its oldest row to keep; the caller deletes below it in its own way. Portable SQL (both engines).
import { eq, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { SqlHandle } from "./sql-handle";

export type GroupBoundary<G> = { group: G; oldestKept: number };

export async function oldestKeptPerGroup<G>(
  database: SqlHandle,
  table: PgTable,
  columns: { group: AnyPgColumn; id: AnyPgColumn },
  groupSchema: z.ZodType<G>,
  keep: number,
): Promise<GroupBoundary<G>[]> {
  const ranked = database
    .select({
      g: sql<unknown>`${columns.group}`.as("g"),
      // node-postgres returns int8 as a string.
      id: sql<number>`${columns.id}`.mapWith(Number).as("id"),
      n: sql<number>`row_number() over (partition by ${columns.group} order by ${columns.id} desc)`
        .mapWith(Number)
        .as("n"),
    })
    .from(table)
    .as("ranked");
  const rows = await database.select({ g: ranked.g, id: ranked.id }).from(ranked).where(eq(ranked.n, keep));
  return z
    .array(z.object({ g: groupSchema, id: z.number() }))
    .parse(rows)
    .map((row) => ({ group: row.g, oldestKept: row.id }));
}
