// What code that knows no table queries through: Drizzle's builders, typed as PostgreSQL's on
// both engines (db/tables.ts says why), without the app's schema, so the bus and these helpers
// take the app's handle, or any other app's, as it is.
import type { NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import type { PgDatabase } from "drizzle-orm/pg-core";

export type SqlHandle = Pick<
  PgDatabase<NodePgQueryResultHKT>,
  "select" | "selectDistinct" | "insert" | "update" | "delete" | "execute"
>;
