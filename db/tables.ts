// The tables this process queries: PostgreSQL's (db/schema-pg.ts) when DATABASE_URL is set,
// SQLite's (db/schema.ts) otherwise, chosen once at import. Query code imports tables from here,
// never from a dialect's schema, so one query runs on either engine. The bus's tables are the
// bus's own (lib/bus/tables.ts).
//
// Why one set of types for both: Drizzle checks a query against one dialect's tables, and the
// two schemas are twins (tests/db/schema-parity.test.ts proves the same tables, columns, keys and
// JavaScript types). Queries are typed against PostgreSQL's builders, whose surface is
// await-only (no SQLite `.get()`/`.all()`/`.run()`); that subset runs on Drizzle's SQLite
// builders too, which are awaitable alike. The suites run on both engines to prove it.
import { databaseDialect } from "@/lib/config/env";
import * as pgSchema from "./schema-pg";
import * as sqliteSchema from "./schema";

export type Schema = typeof pgSchema;

// The one place the SQLite tables are seen through PostgreSQL's types (see above).
const active: Schema = databaseDialect() === "postgres" ? pgSchema : (sqliteSchema as unknown as Schema);

export const schema = active;
export const { users, games, members, clickBatches, activities, rounds, roundScores, apiTokens, idempotentRequests } =
  active;
