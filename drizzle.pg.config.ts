// drizzle-kit reads this (`npm run db:generate:pg`) to generate PostgreSQL migrations from
// db/schema-pg.ts and lib/bus/schema-pg.ts into db/migrations-pg; drizzle.config.ts does the same
// for SQLite. Generating needs no server. A node on PostgreSQL (DATABASE_URL set) applies them at
// start-up, as does `npm run db:migrate` (db/postgres.ts: one node at a time, by an advisory lock).
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./db/schema-pg.ts", "./lib/bus/schema-pg.ts"],
  out: "./db/migrations-pg",
});
