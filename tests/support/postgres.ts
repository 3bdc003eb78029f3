// PostgreSQL for Vitest (issue #14): a fresh database per test file (postgres-databases.ts) on
// the machine's server (127.0.0.1:5432, trust auth, user postgres, database `test` to connect
// through), dropped afterwards. Without a server the suite
// skips with a message saying so, unless REQUIRE_POSTGRES=1 (set by .ci/run), which turns the
// skip into a failure so CI cannot pass by skipping. TEST_POSTGRES_URL points it elsewhere (a
// closed port shows the skip). The PostgreSQL Vitest run's setup (postgres-engine.ts) uses it too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactUrl } from "@/lib/runtime/redact-url";
import { createTestDatabase, dropTestDatabase, type TestDatabase } from "./postgres-databases";
import { postgresProblem, TEST_POSTGRES_URL } from "./postgres-server";

export * from "./postgres-databases";
export { postgresProblem, redactUrl, TEST_POSTGRES_URL };

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
    console.warn(
      `\n  Skipping "${name}": ${where}. Start PostgreSQL or set TEST_POSTGRES_URL to run it; REQUIRE_POSTGRES=1 makes this a failure.\n`,
    );
    describe.skip(name, body);
  }
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
