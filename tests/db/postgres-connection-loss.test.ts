// A PostgreSQL connection that dies while the node holds it (checked out for a transaction, between
// two statements) fails that work and nothing else: the node's process lives on (an `error` event
// nobody hears would end it, which is how a dropped test database once failed CI) and the next
// request gets a new connection. Skips without a server unless REQUIRE_POSTGRES=1.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { openPostgres } from "@/db/postgres";
import type { Engine } from "@/db/engine";
import { describeWithPostgres, freshPostgres, TEST_POSTGRES_URL } from "../support/postgres";
import { onPostgres } from "../support/postgres-server";

const pidRow = z.object({ pid: z.number() });

await describeWithPostgres("a PostgreSQL connection lost while in use", () => {
  const database = freshPostgres();
  let engine: Engine;
  beforeAll(() => {
    engine = openPostgres(database().url, { max: 2 });
  });
  afterAll(() => engine.close());

  it("fails the work that held it, keeps the process, and the next request is served", async () => {
    const pool = engine.postgres;
    if (!pool) throw new Error("openPostgres gave no pool");
    const held = await pool.connect();
    const { pid } = pidRow.parse((await held.query("select pg_backend_pid() as pid")).rows[0]);
    // (Not events.once: it would reject on the `error` the client emits first.)
    const ended = new Promise((resolve) => held.once("end", resolve));
    // No statement is running on `held`: the loss reaches it as an event, not a failed query.
    try {
      await onPostgres(TEST_POSTGRES_URL, (admin) => admin.query("select pg_terminate_backend($1)", [pid]));
      await ended;
      await expect(held.query("select 1")).rejects.toThrow();
    } finally {
      held.release(true);
    }
    const answer = await engine.db.execute(sql`select 41 + 1 as n`);
    expect(z.object({ n: z.number() }).parse(answer.rows[0]).n).toBe(42);
  });
});
