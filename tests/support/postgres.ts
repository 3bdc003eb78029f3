// PostgreSQL for tests (issue #14): a fresh database per test file on the machine's server
// (127.0.0.1:5432, trust auth, user postgres, database `test` to connect through), migrated from
// db/migrations-pg with Drizzle's migrator and dropped afterwards. Without a server the suite
// skips with a message saying so, unless REQUIRE_POSTGRES=1 (set by .ci/run), which turns the
// skip into a failure so CI cannot pass by skipping. TEST_POSTGRES_URL points it elsewhere (a
// closed port shows the skip). The PostgreSQL Vitest run's setup (postgres-engine.ts) uses it too.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactUrl } from "@/lib/runtime/redact-url";
import * as schema from "@/db/schema-pg";
import { onPostgres, postgresProblem, TEST_POSTGRES_URL } from "./postgres-server";

export { postgresProblem, redactUrl, TEST_POSTGRES_URL };

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

/**
 * `describe` when PostgreSQL answers at TEST_POSTGRES_URL; otherwise a skip that says why, or a
 * failing test under REQUIRE_POSTGRES=1.
 */
export async function describeWithPostgres(name: string, body: () => void): Promise<void> {
  const problem = await postgresProblem();
  if (problem === undefined) {
    describe(name, body);
    return;
  }
  const where = `no PostgreSQL answers at ${redactUrl(TEST_POSTGRES_URL)} (${problem})`;
  if (process.env.REQUIRE_POSTGRES === "1") {
    describe(name, () => it("needs PostgreSQL (REQUIRE_POSTGRES=1)", () => expect.fail(where)));
  } else {
    console.warn(`\n  Skipping "${name}": ${where}. Start PostgreSQL or set TEST_POSTGRES_URL to run it; REQUIRE_POSTGRES=1 makes this a failure.\n`);
    describe.skip(name, body);
  }
}

const admin = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => onPostgres(TEST_POSTGRES_URL, work);

/** Applies db/migrations-pg (Drizzle's migrator records them in drizzle.__drizzle_migrations). */
export async function migratePostgres(db: PgDb): Promise<void> {
  await migrate(db, { migrationsFolder: migrationsFolderPg() });
}

/** Creates `clickbus_test_<random>` (migrated unless told otherwise) with a small pool on it. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  // Random, so files, worktrees and CI runs on one server never meet; lower case needs no quoting.
  const name = `clickbus_test_${randomBytes(6).toString("hex")}`;
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
 * A fresh database for the enclosing `describe`: created before its tests, dropped after them.
 * Call it inside `describeWithPostgres`, so it runs only when a server answers.
 */
export function freshPostgres(options: { migrate?: boolean } = {}): () => TestDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(options);
  });
  afterAll(async () => {
    if (database) await dropTestDatabase(database);
  });
  return () => {
    if (!database) throw new Error("freshPostgres(): the database is made in beforeAll; use it inside a test");
    return database;
  };
}
