// What an engine gives the rest of the code: a Drizzle handle for statements outside a
// transaction, transactions, migrations and shutdown. db/sqlite.ts and db/postgres.ts build one;
// db/client.ts holds the process's.
import type Database from "better-sqlite3";
import type { NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";
import type pg from "pg";
import type { DatabaseDialect } from "@/lib/config/env";
import type * as pgSchema from "./schema-pg";

/** A Drizzle handle, typed as PostgreSQL's on both engines (db/tables.ts says why). */
export type Db = PgDatabase<NodePgQueryResultHKT, typeof pgSchema>;
/** The handle a transaction's work runs on: the same surface. */
export type Tx = Db;

export type Engine = {
  dialect: DatabaseDialect;
  db: Db;
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The raw connections, for the few statements that are written per dialect. */
  sqlite?: { reader: Database.Database; writer: Database.Database };
  postgres?: pg.Pool;
};
