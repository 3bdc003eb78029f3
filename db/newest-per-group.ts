// "Keep the newest N rows of each group" for tables that only grow (a channel's notifications,
// a game's activity): one pass with a window function finds, per group that has more, the id of
// its oldest row to keep; the caller deletes below it in its own way.
import { sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import type { Db } from "./client";

export type GroupBoundary<G> = { group: G; oldestKept: number };

export function oldestKeptPerGroup<G>(database: Db, table: SQLiteTable, columns: { group: SQLiteColumn; id: SQLiteColumn }, groupSchema: z.ZodType<G>, keep: number): GroupBoundary<G>[] {
  const rows = database.all(
    sql`SELECT g, id FROM (SELECT ${columns.group} AS g, ${columns.id} AS id, row_number() OVER (PARTITION BY ${columns.group} ORDER BY ${columns.id} DESC) AS n FROM ${table}) WHERE n = ${keep}`,
  );
  return z
    .array(z.object({ g: groupSchema, id: z.number() }))
    .parse(rows)
    .map((row) => ({ group: row.g, oldestKept: row.id }));
}
