// Transaction-level advisory locks, for work that must run one node at a time on PostgreSQL
// (ordering notification ids, the pruning sweeps every node's timer starts). On SQLite the single
// writer already serializes every transaction, so there is nothing to take.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DatabaseDialect } from "@/lib/config/env";
import type { SqlHandle } from "./sql-handle";

/** A lock's two int4 keys (by convention ASCII: "clic" and four letters naming the work). */
export type LockKey = readonly [number, number];

const taken = z.array(z.object({ taken: z.boolean() }));

/** Waits for `key`, held by `tx` until it commits or rolls back. */
export async function lockUntilCommit(tx: SqlHandle, key: LockKey, dialect: DatabaseDialect): Promise<void> {
  if (dialect !== "postgres") return;
  await tx.execute(sql`select pg_advisory_xact_lock(${key[0]}::int, ${key[1]}::int)`);
}

/** Takes `key` for `tx` if nobody holds it; false when another transaction does. */
export async function tryLockUntilCommit(tx: SqlHandle, key: LockKey, dialect: DatabaseDialect): Promise<boolean> {
  if (dialect !== "postgres") return true;
  const result = await tx.execute(sql`select pg_try_advisory_xact_lock(${key[0]}::int, ${key[1]}::int) as taken`);
  return taken.parse(result.rows).some((row) => row.taken);
}
