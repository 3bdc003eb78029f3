// Test databases on the machine's PostgreSQL (issue #14), with nothing of Vitest in them, so
// Playwright specs use them too: `clickbus_test_<random>`, migrated from db/migrations-pg with
// Drizzle's migrator, and dropped (with any connection left on it) afterwards.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "@/db/schema-pg";
import { onPostgres, TEST_POSTGRES_URL } from "./postgres-server";

const PREFIX = "clickbus_test_";

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export type TestDatabase = { name: string; url: string; db: PgDb; pool: pg.Pool };

export function migrationsFolderPg(): string {
  return join(process.cwd(), "db", "migrations-pg");
}

/** The same server and credentials, another database. */
function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

const admin = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => onPostgres(TEST_POSTGRES_URL, work);

/** Applies db/migrations-pg (Drizzle's migrator records them in drizzle.__drizzle_migrations). */
export async function migratePostgres(db: PgDb): Promise<void> {
  await migrate(db, { migrationsFolder: migrationsFolderPg() });
}

/** Creates `clickbus_test_<random>` (migrated unless told otherwise) with a small pool on it. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  // Random, so files, worktrees and CI runs on one server never meet; lower case needs no quoting.
  // The creation time in the name lets a later run drop what a killed one left (dropStaleTestDatabases).
  const name = `${PREFIX}${Date.now().toString(36)}_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = databaseUrl(name);
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 3_000 });
  // An idle client whose connection dies emits on the pool; unhandled, that would end the run.
  pool.on("error", (error) => console.warn(`postgres pool (${name}): ${error.message}`));
  const db = drizzle({ client: pool, schema });
  if (options.migrate ?? true) await migratePostgres(db);
  return { name, url, db, pool };
}

/** Closes the pool and drops the database, also if a test left a connection open. */
export async function dropTestDatabase(database: TestDatabase): Promise<void> {
  await database.pool.end();
  await dropDatabase(database.name);
}

/** Drops a test database by name, ending whatever connections are still on it. */
export async function dropDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`drop database if exists ${name} with (force)`));
}

/**
 * Drops the test databases older than `olderThanMs` (by the time in their names; names without
 * one predate it and are stale too): what a run killed before its clean-up left. Younger ones
 * may belong to a run going on beside this one (another worktree), so they stay.
 */
export async function dropStaleTestDatabases(olderThanMs: number): Promise<string[]> {
  const { rows } = await admin((client) =>
    client.query<{ datname: string }>("select datname from pg_database where datname like 'clickbus\\_test\\_%'"),
  );
  const stale = rows
    .map((row) => row.datname)
    .filter((name) => {
      const made = /^clickbus_test_([0-9a-z]+)_[0-9a-f]+$/.exec(name)?.[1];
      return made === undefined || Date.now() - parseInt(made, 36) > olderThanMs;
    });
  for (const name of stale) await dropDatabase(name);
  return stale;
}
