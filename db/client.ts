// The process's database: SQLite (db/sqlite.ts) unless DATABASE_URL selects PostgreSQL
// (db/postgres.ts). `db()` is the handle to query with — inside `transaction` it is that
// transaction's, so code called from a transaction sees its writes without being passed it.
import { AsyncLocalStorage } from "node:async_hooks";
import { env } from "@/lib/config/env";
import { peekProcessSingleton, processSingleton, setProcessSingleton } from "@/lib/runtime/process-singleton";
import type { Db, Engine, Tx } from "./engine";
import { openPostgres } from "./postgres";
import { openSqlite } from "./sqlite";

export type { Db, Engine, Tx } from "./engine";

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "db:transaction": AsyncLocalStorage<Tx>;
    db: Engine;
  }
}

const current = processSingleton("db:transaction", () => new AsyncLocalStorage<Tx>());

/** The engine env() names, opened on first use. */
export function engine(): Engine {
  return processSingleton("db", () => {
    const config = env();
    return config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : openSqlite(config.DATABASE_PATH);
  });
}

/** Uses `opened` as the process's engine (tests, scripts that open a file of their own). */
export function useEngine(opened: Engine | undefined): void {
  setProcessSingleton("db", opened);
}

export function db(): Db {
  return current.getStore() ?? engine().db;
}

export function inTransaction(): boolean {
  return current.getStore() !== undefined;
}

/**
 * Runs `work` in a transaction, committed when it resolves and rolled back when it throws.
 * Called inside another transaction, it joins that one.
 */
export async function transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const open = current.getStore();
  if (open) return work(open);
  return engine().transaction((tx) => current.run(tx, () => work(tx)));
}

export async function migrateDatabase(target: Engine = engine()): Promise<void> {
  await target.migrate();
}

export async function closeDatabase(): Promise<void> {
  const open = peekProcessSingleton("db");
  if (!open) return;
  setProcessSingleton("db", undefined);
  await open.close();
}

/**
 * The process's database as the bus takes it (attachBus's `database`, transactOn): the functions
 * above, grouped. Typed by its shape: db/ imports nothing of the bus.
 */
export const database = {
  dialect: () => engine().dialect,
  current: db,
  transaction,
  inTransaction,
  sqliteReader: () => engine().sqlite?.reader,
};
