// Setup file of the PostgreSQL Vitest run (vitest.postgres.config.ts): before a test file loads,
// creates its own migrated database and points DATABASE_URL at it, so the file's in-process code
// and every server it spawns use PostgreSQL; test nodes get one database per data directory
// (tests/support/test-database.ts). All are dropped after the file.
import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { createTestDatabase, dropDatabase } from "./postgres";
import { databasesMade } from "./test-database";

const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
// Required with DATABASE_URL (no secret file is shared between machines); harnesses may replace it.
process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
// The pool that migrated is not the code under test's: close it now, drop the database later.
await database.pool.end();

afterAll(async () => {
  for (const name of [database.name, ...databasesMade()]) await dropDatabase(name);
});
