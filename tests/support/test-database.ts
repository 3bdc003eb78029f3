// Where a test node keeps its data, on either engine. SQLite: the file in its data directory.
// The PostgreSQL run (DATABASE_URL set by tests/support/postgres-engine.ts): one database per data
// directory, made on first use and named in a file there, so nodes sharing a directory share a
// database exactly as they would share the SQLite file, and a fresh directory is a fresh
// database; every one made is dropped when the test file ends.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { createTestDatabase } from "./postgres";

export type StoredDatabase = { engine: "sqlite"; path: string } | { engine: "postgres"; url: string };

const made: string[] = [];
const madeFile = z.object({ url: z.string(), name: z.string() });

/** The databases made for data directories in this test file (the setup file drops them). */
export function databasesMade(): readonly string[] {
  return made;
}

export const onPostgres = (): boolean => process.env.DATABASE_URL !== undefined;

export async function databaseOf(dataDir: string): Promise<StoredDatabase> {
  if (!onPostgres()) return { engine: "sqlite", path: join(dataDir, "clickbus.db") };
  const file = join(dataDir, "postgres-database.json");
  if (existsSync(file)) {
    return { engine: "postgres", url: madeFile.parse(JSON.parse(readFileSync(file, "utf8"))).url };
  }
  const database = await createTestDatabase();
  await database.pool.end();
  made.push(database.name);
  writeFileSync(file, JSON.stringify({ url: database.url, name: database.name }));
  return { engine: "postgres", url: database.url };
}

/** The variables that point a node at `database`. */
export function databaseEnv(database: StoredDatabase): Record<string, string> {
  return database.engine === "sqlite" ? { DATABASE_PATH: database.path } : { DATABASE_URL: database.url };
}
