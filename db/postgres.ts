// The PostgreSQL engine: a node-postgres pool behind Drizzle, migrations from db/migrations-pg.
// The pool opens connections on demand and drops broken ones, so a node recovers by itself when
// the server returns; each connection bounds how long a transaction may sit idle or wait for a
// lock, so a node that vanishes mid-transaction cannot stall every other writer.
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { join } from "node:path";
import pg from "pg";
import { log } from "@/lib/log";
import { databaseReachable } from "@/lib/runtime/database-outage";
import type { Db, Engine } from "./engine";
import * as pgSchema from "./schema-pg";

/** "clic", "migr" in ASCII: the advisory lock that start-up migrations take one at a time. */
const MIGRATION_LOCK = [0x636c6963, 0x6d696772];

export type PostgresOptions = { max?: number };

export function openPostgres(url: string, options: PostgresOptions = {}): Engine {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idle_in_transaction_session_timeout: 10_000,
    lock_timeout: 5_000,
    application_name: "clickbus",
  });
  // An idle connection that dies (server restart, terminated backend) is reported here; without
  // a listener the pool's `error` event would end the process.
  pool.on("error", (error) =>
    log.warn({ err: error.message }, "a PostgreSQL connection was lost; the pool opens a new one on demand"),
  );
  pool.on("connect", (client) => {
    // A new connection after an outage is the database answering again.
    databaseReachable();
    // A connection lost while checked out (a transaction between two statements) emits on the
    // client, where the pool no longer listens; unheard, that would end the process. The work
    // holding it fails on its next statement, so this only keeps the node alive. (An idle one is
    // heard here too, and logged as a warning by the pool's listener above.)
    client.on("error", (error) => log.debug({ err: error.message }, "a PostgreSQL connection was lost"));
  });
  const db: Db = drizzle({ client: pool, schema: pgSchema });

  return {
    dialect: "postgres",
    db,
    postgres: pool,
    transaction: (work) => db.transaction(work),
    async migrate() {
      // Nodes starting together would apply the same migration at once and fail on "already
      // exists"; a session advisory lock makes the others wait, then find nothing left to do.
      const holder = await pool.connect();
      try {
        // However long another node's migration takes (the pool's lock_timeout is for requests).
        await holder.query("set lock_timeout = 0");
        await holder.query("select pg_advisory_lock($1::int, $2::int)", MIGRATION_LOCK);
        await migrate(drizzle({ client: pool, schema: pgSchema }), {
          migrationsFolder: join(process.cwd(), "db", "migrations-pg"),
        });
      } finally {
        // Closed rather than returned: it carries the session's lock setting (and, ended, its lock).
        holder.release(true);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
