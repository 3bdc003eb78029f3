// drizzle-kit reads this (`npm run db:generate:pg`) to generate PostgreSQL migrations from
// db/schema-pg.ts into db/migrations-pg; drizzle.config.ts does the same for SQLite. Generating
// needs no server. Nothing applies these at start-up yet (issue #14): SQLite is the only engine.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema-pg.ts",
  out: "./db/migrations-pg",
});
