// The bus's tables this process queries: PostgreSQL's (lib/bus/schema-pg.ts) when DATABASE_URL is
// set, SQLite's (lib/bus/schema.ts) otherwise, chosen once at import, typed as PostgreSQL's for the
// reasons db/tables.ts gives. Bus code imports its tables from here, never from db/.
import { databaseDialect } from "@/lib/config/env";
import * as pgSchema from "./schema-pg";
import * as sqliteSchema from "./schema";

export type BusSchema = typeof pgSchema;

// The one place the bus's SQLite tables are seen through PostgreSQL's types (see db/tables.ts).
const active: BusSchema = databaseDialect() === "postgres" ? pgSchema : (sqliteSchema as unknown as BusSchema);

export const busSchema = active;
export const { busNotifications, busChannelFloors, busConflated } = active;
