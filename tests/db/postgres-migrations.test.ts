// The committed PostgreSQL migrations (db/migrations-pg, issue #14) on the machine's server: on a
// fresh database they create every table, column, unique constraint and index db/schema-pg.ts and
// lib/bus/schema-pg.ts declare (read back from information_schema and pg_indexes, not from
// Drizzle), applying them
// again changes nothing, and the column types read back as lib/ expects from SQLite. Skips without
// a server unless REQUIRE_POSTGRES=1 (tests/support/postgres.ts).
import { eq, is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { expect, it } from "vitest";
import { z } from "zod";
import * as schema from "@/db/schema-pg";
import * as busSchema from "@/lib/bus/schema-pg";
import { describeWithPostgres, freshPostgres, migratePostgres, type TestDatabase } from "../support/postgres";

// Every table db/schema-pg.ts and lib/bus/schema-pg.ts export (relations are skipped).
const schemaExports: unknown[] = [...Object.values(schema), ...Object.values(busSchema)];
const declared = schemaExports
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableConfig(table));

/** Every index, unique or not, the schema asks for by name, with whether it must be unique. */
const declaredIndexes = declared.flatMap((table) => [
  ...table.columns
    .filter((column) => column.isUnique)
    .map((column) => ({ table: table.name, name: column.uniqueName ?? "", unique: true })),
  ...table.uniqueConstraints.map((key) => ({ table: table.name, name: key.getName() ?? "", unique: true })),
  ...table.indexes.map((index) => ({ table: table.name, name: index.config.name ?? "", unique: index.config.unique })),
]);

const columnRow = z.object({ table_name: z.string(), column_name: z.string(), is_nullable: z.enum(["YES", "NO"]) });
const indexRow = z.object({ tablename: z.string(), indexname: z.string(), indexdef: z.string() });
const countRow = z.object({ n: z.coerce.number() });

/** What the database holds, read from its catalogues. */
async function catalogue({ pool }: TestDatabase) {
  const tables = await pool.query(
    "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
  );
  const columns = await pool.query(
    "select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public' order by table_name, column_name",
  );
  const indexes = await pool.query(
    "select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname",
  );
  const foreignKeys = await pool.query(
    "select count(*) as n from information_schema.referential_constraints where constraint_schema = 'public' and delete_rule = 'CASCADE'",
  );
  return {
    tables: z
      .array(z.object({ table_name: z.string() }))
      .parse(tables.rows)
      .map((row) => row.table_name),
    columns: z.array(columnRow).parse(columns.rows),
    indexes: z.array(indexRow).parse(indexes.rows),
    cascadingForeignKeys: countRow.parse(foreignKeys.rows[0]).n,
  };
}

async function appliedMigrations({ pool }: TestDatabase): Promise<number> {
  const result = await pool.query("select count(*) as n from drizzle.__drizzle_migrations");
  return countRow.parse(result.rows[0]).n;
}

await describeWithPostgres("PostgreSQL migrations (db/migrations-pg)", () => {
  const database = freshPostgres({ migrate: false });

  it("create every table, column, unique index and index of the schema on a fresh database", async () => {
    expect((await catalogue(database())).tables).toEqual([]);
    await migratePostgres(database().db);
    const found = await catalogue(database());

    expect(found.tables).toEqual(declared.map((table) => table.name).sort());
    for (const table of declared) {
      const columns = found.columns.filter((row) => row.table_name === table.name);
      const expected = table.columns.map((column) => ({
        table_name: table.name,
        column_name: column.name,
        is_nullable: column.notNull ? "NO" : "YES",
      }));
      expect(columns, `columns of ${table.name}`).toEqual(
        expected.sort((a, b) => a.column_name.localeCompare(b.column_name)),
      );
    }

    expect(declaredIndexes.filter((index) => index.unique).length).toBeGreaterThanOrEqual(4);
    for (const index of declaredIndexes) {
      const row = found.indexes.find((candidate) => candidate.indexname === index.name);
      expect(row, `index ${index.name}`).toBeDefined();
      expect(row?.tablename, `table of ${index.name}`).toBe(index.table);
      expect(row?.indexdef.startsWith("CREATE UNIQUE INDEX"), `${index.name} unique`).toBe(index.unique);
    }
    // The partial unique index that lets one round run per game, whichever node starts it.
    expect(found.indexes.find((row) => row.indexname === "rounds_one_running_idx")?.indexdef).toMatch(
      /WHERE \(ended_at IS NULL\)$/,
    );
    // Composite primary keys are unique indexes too (click batches count once by them).
    expect(found.indexes.find((row) => row.indexname === "click_batches_user_id_batch_id_pk")?.indexdef).toMatch(
      /^CREATE UNIQUE INDEX .*\(user_id, batch_id\)$/,
    );
    const foreignKeys = declared.reduce((sum, table) => sum + table.foreignKeys.length, 0);
    expect(found.cascadingForeignKeys).toBe(foreignKeys);
  });

  it("are a no-op when applied again", async () => {
    const before = await catalogue(database());
    const applied = await appliedMigrations(database());
    expect(applied).toBeGreaterThan(0);
    await migratePostgres(database().db);
    expect(await catalogue(database())).toEqual(before);
    expect(await appliedMigrations(database())).toBe(applied);
  });

  it("read back the JavaScript types lib/ gets from SQLite: numbers for bigint, Dates, booleans, JSON", async () => {
    const { db } = database();
    const [owner] = await db.insert(schema.users).values({ username: "owner", passwordHash: "x" }).returning();
    if (!owner) throw new Error("no user returned");
    expect(owner.guest).toBe(false);
    expect(owner.createdAt).toBeInstanceOf(Date);
    const [game] = await db
      .insert(schema.games)
      .values({ name: "Big", ownerId: owner.id, total: 2 ** 40 })
      .returning();
    if (!game) throw new Error("no game returned");
    expect(game.total).toBe(2 ** 40);

    // timestamptz(3): a Date written with milliseconds compares equal when read back.
    const startsAt = new Date("2030-01-02T03:04:05.678Z");
    const podium = [{ userId: owner.id, username: "owner", clicks: 3 }];
    await db.insert(schema.rounds).values({ gameId: game.id, startsAt, endsAt: startsAt, endedAt: startsAt, podium });
    const [round] = await db.select().from(schema.rounds).where(eq(schema.rounds.gameId, game.id));
    expect(round?.startsAt.getTime()).toBe(startsAt.getTime());
    expect(round?.podium).toEqual(podium);

    // GENERATED ALWAYS: an explicit id would put the sequence behind the table, so it is refused.
    await expect(
      database().pool.query("insert into users (id, username, password_hash) values (999, 'forced', 'x')"),
    ).rejects.toThrow(/non-DEFAULT value/);
  });
});
