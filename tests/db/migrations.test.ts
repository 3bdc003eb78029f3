// The committed migrations (db/migrations): they apply to an empty database file, produce the
// tables and columns db/schema.ts declares, and leave the file in WAL mode with foreign keys on.
import Database from "better-sqlite3";
import { eq, is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Db } from "@/db/client";
import * as schema from "@/db/schema";

let dir: string;
let path: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clickbus-migrations-"));
  path = join(dir, "fresh.db");
  db = openDatabase(path);
});
afterEach(() => {
  if (db.$client.open) db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

// Every table db/schema.ts exports (its relations are exported too and are skipped here).
const schemaExports: unknown[] = Object.values(schema);
const declaredTables = schemaExports.filter((value): value is SQLiteTable => is(value, SQLiteTable)).map((table) => getTableConfig(table));

function tableNames(database: Db): string[] {
  return database.$client
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((row) => row.name);
}

describe("migrations", () => {
  it("apply to an empty file and create every table and column of the schema", () => {
    expect(tableNames(db)).toEqual([]);
    migrateDatabase(db);

    const tables = tableNames(db);
    expect(declaredTables.length).toBeGreaterThan(0);
    for (const table of declaredTables) {
      expect(tables, `table ${table.name}`).toContain(table.name);
      const columns = db.$client.prepare<[], { name: string }>(`PRAGMA table_info("${table.name}")`).all().map((row) => row.name);
      expect(columns.sort(), `columns of ${table.name}`).toEqual(table.columns.map((column) => column.name).sort());
    }
  });

  it("are idempotent: applying them again to a migrated file changes nothing", () => {
    migrateDatabase(db);
    const before = tableNames(db);
    const applied = () => db.$client.prepare<[], { n: number }>("SELECT count(*) AS n FROM __drizzle_migrations").get()?.n;
    const count = applied();
    migrateDatabase(db);
    expect(tableNames(db)).toEqual(before);
    expect(applied()).toBe(count);
  });

  it("leave the file in WAL mode, also for a connection opened later", () => {
    migrateDatabase(db);
    expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    db.$client.close();
    expect(existsSync(path)).toBe(true);
    // WAL is a property of the file: a plain connection without our pragmas still sees it.
    const plain = new Database(path, { readonly: true });
    try {
      expect(plain.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      plain.close();
    }
  });

  it("run with foreign keys enforced", () => {
    migrateDatabase(db);
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(() => db.insert(schema.games).values({ name: "Orphan", ownerId: 999_999 }).run()).toThrow(/FOREIGN KEY/);

    // And deletes cascade: removing a user removes the games they own.
    const owner = db.insert(schema.users).values({ username: "owner", passwordHash: "x" }).returning().get();
    db.insert(schema.games).values({ name: "Mine", ownerId: owner.id }).run();
    expect(db.select().from(schema.games).all()).toHaveLength(1);
    db.delete(schema.users).where(eq(schema.users.id, owner.id)).run();
    expect(db.select().from(schema.games).all()).toHaveLength(0);
  });
});
