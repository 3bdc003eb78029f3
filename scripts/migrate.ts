// `npm run db:migrate`: applies the committed migrations to DATABASE_PATH (start-up does the same).
import { closeDatabase, migrateDatabase } from "@/db/client";
import { ConfigError, env } from "@/lib/config/env";

try {
  const { DATABASE_PATH } = env();
  migrateDatabase();
  closeDatabase();
  console.log(`Migrated ${DATABASE_PATH}`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
