// Where the tests' PostgreSQL server is and whether it answers, without Vitest, so scripts/test.ts
// can decide before starting the PostgreSQL run (tests/support/postgres.ts builds on it).
import pg from "pg";
import { z } from "zod";

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "TEST_POSTGRES_URL must be a postgres:// URL")
  .default("postgres://postgres@127.0.0.1:5432/test");

/** The server and the database the tests connect through to create and drop their own. */
export const TEST_POSTGRES_URL = postgresUrl.parse(process.env.TEST_POSTGRES_URL);

/** Why the server does not answer (the driver's message), or undefined when it does. */
export async function postgresProblem(url = TEST_POSTGRES_URL): Promise<string | undefined> {
  // Bounded: a firewalled address would otherwise hang until the OS gives up on the connect.
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  // An error after connecting (the server going away) must not become an uncaught exception.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `work` on one short-lived connection to `url` (creating or dropping databases, say). */
export async function onPostgres<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  // An error after connecting (the server going away) must not become an uncaught exception.
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
