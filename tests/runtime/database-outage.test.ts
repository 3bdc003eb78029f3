// lib/runtime/database-outage.ts on real failures: errors a real PostgreSQL server and node-postgres
// give when the database is away (terminated backend, closed port, exhausted pool connect) are
// "unavailable" (503), errors of a wrong statement or a broken constraint are not (they stay 500
// or their own answer), also when Drizzle wraps them; and an outage is logged once, not per request.
import { createServer, type AddressInfo } from "node:net";
import { drizzle } from "drizzle-orm/node-postgres";
import { sql } from "drizzle-orm";
import pg from "pg";
import { expect, it, vi } from "vitest";
import { z } from "zod";
import { log } from "@/lib/log";
import {
  databaseOutageNow,
  databaseReachable,
  databaseUnavailable,
  isDatabaseUnavailable,
  noteIfDatabaseUnavailable,
} from "@/lib/runtime/database-outage";
import { describeWithPostgres, freshPostgres } from "../support/postgres";

/** The error `work` rejects with (fails the test when it resolves). */
async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  return expect.fail("expected the call to fail");
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

await describeWithPostgres("database outage classification", () => {
  const database = freshPostgres();

  it("calls a terminated backend unavailable, through Drizzle's wrapper too", async () => {
    for (const wrapped of [false, true]) {
      const client = new pg.Client({ connectionString: database().url });
      client.on("error", () => {});
      await client.connect();
      const pid = z
        .object({ pid: z.number() })
        .parse((await client.query("select pg_backend_pid() as pid")).rows[0]).pid;
      await database().pool.query("select pg_terminate_backend($1)", [pid]);
      const query = wrapped ? () => drizzle({ client }).execute(sql`select 1`) : () => client.query("select 1");
      const error = await failure(query);
      // Drizzle's wrapper is not the driver's error: the classifier must look into `cause`.
      if (wrapped) expect(error).not.toBe(error instanceof Error ? error.cause : undefined);
      expect(isDatabaseUnavailable(error)).toBe(true);
      await client.end().catch(() => {});
    }
  });

  it("calls a refused connection and a pool connect timeout unavailable", async () => {
    const refused = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/test`,
      connectionTimeoutMillis: 2_000,
    });
    refused.on("error", () => {});
    expect(isDatabaseUnavailable(await failure(() => refused.connect()))).toBe(true);

    const pool = new pg.Pool({ connectionString: database().url, max: 1, connectionTimeoutMillis: 200 });
    const busy = await pool.connect();
    expect(isDatabaseUnavailable(await failure(() => pool.query("select 1")))).toBe(true);
    busy.release();
    await pool.end();
  });

  it("does not call a wrong statement or a broken constraint unavailable", async () => {
    const db = drizzle({ client: database().pool });
    expect(isDatabaseUnavailable(await failure(() => db.execute(sql`select * from no_such_table`)))).toBe(false);
    expect(isDatabaseUnavailable(await failure(() => db.execute(sql`select 1/0`)))).toBe(false);
    await db.execute(sql`insert into users (username, password_hash) values ('twice', 'x')`);
    expect(
      isDatabaseUnavailable(
        await failure(() => db.execute(sql`insert into users (username, password_hash) values ('twice', 'x')`)),
      ),
    ).toBe(false);
    expect(isDatabaseUnavailable(new Error("something else"))).toBe(false);
    expect(isDatabaseUnavailable("a string")).toBe(false);
  });
});

it("answers 503 with Retry-After", () => {
  const error = databaseUnavailable(new Error("Connection terminated unexpectedly"));
  expect(error.code).toBe("unavailable");
  expect(error.status).toBe(503);
  expect(error.headers["retry-after"]).toBe("2");
});

it("knows an outage as now until the database is back, or for 10 s after its last refusal", () => {
  const away = new Error("Connection terminated unexpectedly");
  databaseUnavailable(away, 1_000);
  expect(databaseOutageNow(1_000)).toBe(true);
  databaseReachable(2_000);
  expect(databaseOutageNow(2_000)).toBe(false);

  databaseUnavailable(away, 10_000);
  databaseUnavailable(away, 15_000);
  expect(databaseOutageNow(24_999)).toBe(true);
  // No new connection ended it (SQLite's busy lock has none), but nothing was refused for 10 s.
  expect(databaseOutageNow(25_000)).toBe(false);
  databaseReachable(25_000);
});

it("records a failure seen in two places (a page's read, then Next's hook) once", () => {
  databaseReachable(); // whatever an earlier test left
  const away = new Error("Connection terminated unexpectedly");
  expect(noteIfDatabaseUnavailable(new Error("syntax error at or near"))).toBe(false);
  expect(databaseOutageNow()).toBe(false);
  expect(noteIfDatabaseUnavailable(away)).toBe(true);
  expect(noteIfDatabaseUnavailable(away)).toBe(true);
  expect(databaseOutageNow()).toBe(true);
  databaseUnavailable(new Error("Connection terminated unexpectedly"));
  // The line logged when the outage ends counts the refusals: two failures, not three.
  const ended = vi.spyOn(log, "info");
  databaseReachable();
  expect(ended).toHaveBeenCalledWith(expect.objectContaining({ refused: 2 }), "the database is reachable again");
  ended.mockRestore();
});
