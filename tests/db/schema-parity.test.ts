// db/schema.ts (SQLite) and db/schema-pg.ts (PostgreSQL), with the bus's lib/bus/schema.ts and
// lib/bus/schema-pg.ts, must describe the same database: Drizzle cannot share one schema between
// dialects, so this test is what keeps the two in step (#14).
// It compares, from Drizzle's table config, table and column names, each column's JavaScript type,
// nullability, default and generated id, primary keys, unique constraints and indexes, the other
// indexes (with their partial WHERE) and foreign keys with their actions. The second half proves
// the comparison can fail, on tables drifted on purpose.
import { sql } from "drizzle-orm";
import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as appSqliteSchema from "@/db/schema";
import * as appPgSchema from "@/db/schema-pg";
import * as busSqliteSchema from "@/lib/bus/schema";
import * as busPgSchema from "@/lib/bus/schema-pg";
import {
  pgSchemaShapes,
  pgTableShape,
  schemaDrift,
  sqliteSchemaShapes,
  sqliteTableShape,
} from "../support/schema-shape";

// The database the migrations create: the app's tables and the bus's.
const sqliteSchema = { ...appSqliteSchema, ...busSqliteSchema };
const pgSchema = { ...appPgSchema, ...busPgSchema };

describe("schema parity between SQLite and PostgreSQL", () => {
  it("declares the same tables", () => {
    const names = (shapes: { name: string }[]) => shapes.map((table) => table.name);
    expect(names(pgSchemaShapes(pgSchema))).toEqual(names(sqliteSchemaShapes(sqliteSchema)));
    expect(names(sqliteSchemaShapes(sqliteSchema)).length).toBeGreaterThanOrEqual(10);
  });

  it("has no drift: same columns, nullability, keys, unique constraints, indexes and foreign keys", () => {
    // On failure the message lists each fact only one schema states: fix the other file, then
    // regenerate both migrations (npm run db:generate and npm run db:generate:pg).
    expect(schemaDrift(sqliteSchemaShapes(sqliteSchema), pgSchemaShapes(pgSchema))).toEqual([]);
  });

  it("reads the facts it compares (a shape is not vacuously empty)", () => {
    const rounds = sqliteTableShape(sqliteSchema.rounds).facts;
    expect(rounds).toContain("unique rounds_one_running_idx (game_id) where ended_at is null");
    expect(rounds).toContain("foreign key (game_id) → games(id) on delete cascade, on update no action");
    expect(rounds).toContain("column id: number, not null, default, generated id");
    expect(rounds).toContain("primary key (id)");
    expect(sqliteTableShape(sqliteSchema.members).facts).toContain("primary key (game_id, user_id)");
    expect(sqliteTableShape(sqliteSchema.users).facts).toContain("unique users_username_unique (username)");
  });
});

describe("the parity check fails on drift", () => {
  // db/schema-pg.ts's `games`, changed in every way the check should notice.
  const drifted = pgTable(
    "games",
    {
      id: integer("id").primaryKey(), // no identity
      name: text("name"), // nullable
      ownerId: integer("owner_id")
        .notNull()
        .references(() => pgSchema.users.id), // no cascade
      total: text("total").notNull().default("0"), // a string in JavaScript
      inviteCode: text("invite_code"), // not unique
      createdAt: text("created"), // renamed
    },
    (table) => [index("games_owner_idx").on(table.ownerId, table.id)], // other columns
  );

  it("reports each difference of a drifted table", () => {
    const drift = schemaDrift([sqliteTableShape(sqliteSchema.games)], [pgTableShape(drifted)]);
    const expected = [
      "games: only in SQLite: column id: number, not null, default, generated id",
      "games: only in SQLite: column name: string, not null, no default",
      "games: only in SQLite: foreign key (owner_id) → users(id) on delete cascade, on update no action",
      "games: only in SQLite: column total: number, not null, default",
      "games: only in SQLite: unique games_invite_code_unique (invite_code)",
      "games: only in SQLite: column created_at: date, not null, default",
      "games: only in PostgreSQL: column created: string, nullable, no default",
      "games: only in SQLite: index games_owner_idx (owner_id)",
      "games: only in PostgreSQL: index games_owner_idx (owner_id, id)",
    ];
    for (const line of expected) expect(drift).toContain(line);
  });

  it("reports a missing table, an extra table and a changed partial index", () => {
    const withoutRounds = Object.fromEntries(Object.entries(pgSchema).filter(([key]) => key !== "rounds"));
    const extra = pgTable("extra", { id: integer("id").primaryKey() });
    expect(schemaDrift(sqliteSchemaShapes(sqliteSchema), pgSchemaShapes({ ...withoutRounds, extra }))).toEqual(
      expect.arrayContaining(["table rounds: only in SQLite", "table extra: only in PostgreSQL"]),
    );

    const rounds = pgTable("rounds", { gameId: integer("game_id").notNull() }, (table) => [
      index("rounds_one_running_idx")
        .on(table.gameId)
        .where(sql`ended_at is not null`),
    ]);
    expect(pgTableShape(rounds).facts).toContain("index rounds_one_running_idx (game_id) where ended_at is not null");
    expect(schemaDrift([sqliteTableShape(sqliteSchema.rounds)], [pgTableShape(rounds)])).toContain(
      "rounds: only in SQLite: unique rounds_one_running_idx (game_id) where ended_at is null",
    );
  });
});
