// The database the bus keeps its notifications in, handed over by the app (attachBus's
// `database`, or transactOn for a process that announces without serving sockets). It must be
// the app's own: a change and its notification commit in one transaction (the outbox). The bus
// imports no module of the app's db/: it queries its own tables (tables.ts) through this handle.
import type Database from "better-sqlite3";
import type { DatabaseDialect } from "@/lib/config/env";
import { peekProcessSingleton, setProcessSingleton } from "@/lib/runtime/process-singleton";
import type { SqlHandle } from "@/lib/sql/sql-handle";

/**
 * `Tx`: the app's own handle type (with its schema), which transact's scope hands back to it.
 * Methods, not fields, so that a handle of a wider type is accepted where the bus's is asked for.
 */
export type BusDatabase<Tx extends SqlHandle = SqlHandle> = {
  /** Read at each use: tests and scripts may switch the engine under the same object. */
  dialect(): DatabaseDialect;
  /** The handle to query with; inside transaction(), that transaction's. */
  current(): Tx;
  /** Runs `work` in a transaction, committed when it resolves; inside another one, joins it. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  inTransaction(): boolean;
  /** SQLite's read connection (committed rows only), where the id high-water mark is read. */
  sqliteReader(): Database.Database | undefined;
};

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "bus:database": BusDatabase;
  }
}

/** Makes `database` the bus's in this process (attachBus and transactOn call it). */
export function setBusDatabase(database: BusDatabase): void {
  setProcessSingleton("bus:database", database);
}

/** The bus's database; throws when the app has handed none over. */
export function busDatabase(): BusDatabase {
  const database = peekProcessSingleton("bus:database");
  if (!database)
    throw new Error("the bus has no database: pass `database` to attachBus(), or make transact with transactOn()");
  return database;
}

/** The bus's query handle (the open transaction's inside one). */
export const busDb = (): SqlHandle => busDatabase().current();
