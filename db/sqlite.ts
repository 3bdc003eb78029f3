// The SQLite engine: one writer connection, used only inside transactions and taken in turn by
// an in-process mutex, and one read-only connection for everything else. Drizzle's better-sqlite3
// transactions are synchronous, but transactions here await; on a single connection another
// caller's statements would run inside an open transaction (seeing, or being rolled back with,
// its writes). With WAL the reader sees only committed data and never waits for the writer.
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Db, Engine } from "./engine";
import * as sqliteSchema from "./schema";

function connect(path: string, options: Database.Options = {}): Database.Database {
  const connection = new Database(path, options);
  connection.pragma("foreign_keys = ON");
  connection.pragma("busy_timeout = 5000");
  return connection;
}

/** A promise chain: each transaction starts when the previous one has ended. */
function mutex(): () => Promise<() => void> {
  let tail: Promise<void> = Promise.resolve();
  return async () => {
    let release = () => {};
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = previous.then(() => turn);
    await previous;
    return release;
  };
}

/**
 * Opens (creating) the SQLite file. The data directory holds the database and the generated
 * secret, so a new one is made 0700 and the database file (and its WAL and shm) 0600; an existing
 * directory's mode is the operator's choice and left alone.
 */
export function openSqlite(path: string): Engine {
  mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
  const writer = connect(path);
  writer.pragma("journal_mode = WAL");
  writer.pragma("synchronous = NORMAL");
  // After the journal pragma, which creates the WAL and shm files.
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  const reader = connect(path, { readonly: true });
  // See db/tables.ts for why SQLite's Drizzle instance is typed as PostgreSQL's.
  const writerDb = drizzle({ client: writer, schema: sqliteSchema }) as unknown as Db;
  const readerDb = drizzle({ client: reader, schema: sqliteSchema }) as unknown as Db;
  const turn = mutex();

  return {
    dialect: "sqlite",
    db: readerDb,
    sqlite: { reader, writer },
    async transaction(work) {
      const release = await turn();
      try {
        // IMMEDIATE takes the write lock at BEGIN. A deferred transaction that reads first fails
        // at its first write ("database is locked", no busy wait) when another process — a second
        // node, a script — committed in between; this way the other writer waits its busy timeout.
        writer.exec("BEGIN IMMEDIATE");
        try {
          const result = await work(writerDb);
          writer.exec("COMMIT");
          return result;
        } catch (error) {
          if (writer.inTransaction) writer.exec("ROLLBACK");
          throw error;
        }
      } finally {
        release();
      }
    },
    async migrate() {
      migrate(drizzle({ client: writer, schema: sqliteSchema }), {
        migrationsFolder: join(process.cwd(), "db", "migrations"),
      });
    },
    async close() {
      reader.close();
      writer.close();
    },
  };
}
