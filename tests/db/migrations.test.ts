// The committed migrations (db/migrations): they apply to an empty database file, produce the
// tables and columns db/schema.ts and lib/bus/schema.ts declare, and leave the file in WAL mode
// with foreign keys on.
// Start-up applies them; a node that cannot reach its database says so in one line and exits 1.
// (PostgreSQL's migrations: tests/db/postgres-migrations.test.ts.)
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { eq, is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateDatabase, type Engine } from "@/db/client";
import * as appSchema from "@/db/schema";
import { openSqlite } from "@/db/sqlite";
import { games, users } from "@/db/tables";
import * as busSchema from "@/lib/bus/schema";

let dir: string;
let path: string;
let engine: Engine;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "clickbus-migrations-"));
  path = join(dir, "fresh.db");
  engine = openSqlite(path);
});
afterEach(async () => {
  if (raw().open) await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The engine's raw writer connection, for what only SQLite's catalogue and pragmas tell. */
function raw(): Database.Database {
  const writer = engine.sqlite?.writer;
  if (!writer) throw new Error("openSqlite gave an engine without its SQLite connections");
  return writer;
}

// Every table db/schema.ts and lib/bus/schema.ts export (relations are skipped).
const schemaExports: unknown[] = [...Object.values(appSchema), ...Object.values(busSchema)];
const declaredTables = schemaExports
  .filter((value): value is SQLiteTable => is(value, SQLiteTable))
  .map((table) => getTableConfig(table));

function tableNames(): string[] {
  return raw()
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((row) => row.name);
}

describe("migrations", () => {
  it("apply to an empty file and create every table and column of the schema", async () => {
    expect(tableNames()).toEqual([]);
    await migrateDatabase(engine);

    const tables = tableNames();
    expect(declaredTables.length).toBeGreaterThan(0);
    for (const table of declaredTables) {
      expect(tables, `table ${table.name}`).toContain(table.name);
      const columns = raw()
        .prepare<[], { name: string }>(`PRAGMA table_info("${table.name}")`)
        .all()
        .map((row) => row.name);
      expect(columns.sort(), `columns of ${table.name}`).toEqual(table.columns.map((column) => column.name).sort());
    }
  });

  it("are idempotent: applying them again to a migrated file changes nothing", async () => {
    await migrateDatabase(engine);
    const before = tableNames();
    const applied = () => raw().prepare<[], { n: number }>("SELECT count(*) AS n FROM __drizzle_migrations").get()?.n;
    const count = applied();
    await migrateDatabase(engine);
    expect(tableNames()).toEqual(before);
    expect(applied()).toBe(count);
  });

  it("leave the file in WAL mode, also for a connection opened later", async () => {
    await migrateDatabase(engine);
    expect(raw().pragma("journal_mode", { simple: true })).toBe("wal");
    await engine.close();
    expect(existsSync(path)).toBe(true);
    // WAL is a property of the file: a plain connection without our pragmas still sees it.
    const plain = new Database(path, { readonly: true });
    try {
      expect(plain.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      plain.close();
    }
  });

  it("run with foreign keys enforced", async () => {
    await migrateDatabase(engine);
    expect(raw().pragma("foreign_keys", { simple: true })).toBe(1);
    await expect(
      engine.transaction((tx) => tx.insert(games).values({ name: "Orphan", ownerId: 999_999 })),
    ).rejects.toThrow(/FOREIGN KEY/);

    // And deletes cascade: removing a user removes the games they own.
    const [owner] = await engine.transaction((tx) =>
      tx.insert(users).values({ username: "owner", passwordHash: "x" }).returning(),
    );
    if (!owner) throw new Error("no user inserted");
    await engine.transaction((tx) => tx.insert(games).values({ name: "Mine", ownerId: owner.id }));
    expect(await engine.db.select().from(games)).toHaveLength(1);
    await engine.transaction((tx) => tx.delete(users).where(eq(users.id, owner.id)));
    expect(await engine.db.select().from(games)).toHaveLength(0);
  });

  it("leave writes to transactions: the handle outside one is read-only", async () => {
    await migrateDatabase(engine);
    await expect(engine.db.insert(users).values({ username: "stray", passwordHash: "x" })).rejects.toThrow(/readonly/);
    expect(await engine.db.select().from(users)).toEqual([]);
  });
});

/** Runs `tsx server.ts` with `env` until it exits; its exit code and what it printed on stderr. */
function startNode(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the node was still running after 30 s: ${stderr}`));
    }, 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe("start-up without a database", () => {
  it("names an unreachable PostgreSQL (password redacted) in one line and exits 1", async () => {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    const { code, stderr } = await startNode({
      DATABASE_URL: "postgres://clickbus:s3cret-Passw0rd@127.0.0.1:1/clickbus",
      AUTH_SECRET: "a-secret-long-enough-for-the-check-0123456789",
    });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^Clickbus cannot start: the database at DATABASE_URL=postgres:\/\/clickbus:\*\*\*@127\.0\.0\.1:1\/clickbus is unreachable: .*ECONNREFUSED/,
      ),
    ]);
    expect(stderr).not.toContain("s3cret-Passw0rd");
  }, 40_000);

  it("names the SQLite file it cannot open and exits 1", async () => {
    // A directory where the file should be: SQLite cannot open it as a database.
    const { code, stderr } = await startNode({ DATABASE_PATH: dir });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        new RegExp(`^Clickbus cannot start: the database at DATABASE_PATH=${dir} is unreachable: \\S`),
      ),
    ]);
  }, 40_000);
});
