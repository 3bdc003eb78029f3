// `npm run db:backup -- <file>`: a consistent copy of the SQLite database at DATABASE_PATH, taken
// with SQLite's online backup while the server keeps running (readers and writers are not
// stopped; the copy is the database as of one moment). Restore: stop every node, replace
// DATABASE_PATH with the copy (and delete its -wal and -shm files), start again.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import { ConfigError, env } from "@/lib/config/env";

const target = z.string().min(1).safeParse(process.argv[2]);
if (!target.success || process.argv.length !== 3) {
  console.error("Usage: npm run db:backup -- <file>");
  process.exit(1);
}

try {
  const config = env();
  // The SQLite file at DATABASE_PATH is not the database then, and a copy of it would be no backup.
  if (config.DATABASE_URL !== undefined)
    throw new Error(
      "DATABASE_URL is set: PostgreSQL holds the data; back it up with pg_dump (this command copies SQLite only)",
    );
  const source = config.DATABASE_PATH;
  const file = resolve(target.data);
  if (!existsSync(source)) throw new Error(`no database at ${source} (DATABASE_PATH)`);
  if (existsSync(file)) throw new Error(`${file} exists already: choose a new file`);
  // Read-only and without the app's db(): a backup never migrates or writes the live database.
  const database = new Database(source, { readonly: true, fileMustExist: true });
  const { totalPages } = await database.backup(file);
  database.close();
  new Database(file, { fileMustExist: true }).pragma("journal_mode = DELETE");
  console.log(`Backed up ${source} to ${file} (${totalPages} pages)`);
} catch (error) {
  console.error(
    error instanceof ConfigError
      ? error.message
      : `Backup failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
