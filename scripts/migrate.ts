// `npm run db:migrate`: applies the committed migrations to the configured database, the SQLite
// file at DATABASE_PATH or PostgreSQL at DATABASE_URL (start-up does the same).
import { closeDatabase, migrateDatabase } from "@/db/client";
import { redactUrl } from "@/lib/runtime/redact-url";
import { ConfigError, env } from "@/lib/config/env";

try {
  const { DATABASE_PATH, DATABASE_URL } = env();
  await migrateDatabase();
  await closeDatabase();
  console.log(`Migrated ${DATABASE_URL === undefined ? DATABASE_PATH : redactUrl(DATABASE_URL)}`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
