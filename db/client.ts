// The database client: one better-sqlite3 connection per process (WAL, foreign keys, busy
// timeout) wrapped by Drizzle, and the start-up migration from db/migrations.
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { env } from "@/lib/config/env";
import { peekProcessSingleton, processSingleton, setProcessSingleton } from "@/lib/runtime/process-singleton";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The transaction handle Drizzle passes to `db.transaction` callbacks. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Opens (creating) the SQLite file. The data directory holds the database and the generated
 * secret, so a new one is made 0700 and the database file (and its WAL and shm) 0600; an existing
 * directory's mode is the operator's choice and left alone.
 */
export function openDatabase(path: string): Db {
  mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  // After the journal pragma, which creates the WAL and shm files.
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  return drizzle({ client: sqlite, schema });
}

/** The process's database, opened on first use. */
export function db(): Db {
  return processSingleton("db", () => openDatabase(env().DATABASE_PATH));
}

export function migrationsFolder(): string {
  return join(process.cwd(), "db", "migrations");
}

export function migrateDatabase(target: Db = db()): void {
  migrate(target, { migrationsFolder: migrationsFolder() });
}

export function closeDatabase(): void {
  const open = peekProcessSingleton<Db>("db");
  if (!open) return;
  open.$client.close();
  setProcessSingleton("db", undefined);
}
