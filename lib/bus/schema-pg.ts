// The bus's tables on PostgreSQL (Drizzle pg-core), the twin of lib/bus/schema.ts, mapped from
// SQLite as db/schema-pg.ts's header says (bigint notification ids, text payloads).
// drizzle.pg.config.ts reads this file beside db/schema-pg.ts.
import { bigint, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const createdAt = () =>
  timestamp("created_at", { withTimezone: true, precision: 3, mode: "date" }).notNull().defaultNow();
/** A 64-bit integer read as a JS number (exact up to 2^53, like better-sqlite3's default). */
const int8 = (name: string) => bigint(name, { mode: "number" });

export const busNotifications = pgTable(
  "bus_notifications",
  {
    id: int8("id").primaryKey().generatedAlwaysAsIdentity(),
    channel: text("channel").notNull(),
    event: text("event").notNull(),
    payload: text("payload").notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index("bus_notifications_channel_idx").on(table.channel, table.id),
    index("bus_notifications_created_idx").on(table.createdAt),
  ],
);

/** Per-channel retention floors (see lib/bus/schema.ts): a cursor below `prunedUpTo` must `reset`. */
export const busChannelFloors = pgTable("bus_channel_floors", {
  channel: text("channel").primaryKey(),
  prunedUpTo: int8("pruned_up_to").notNull(),
});

/** Conflated announcements waiting for their window to close (see lib/bus/schema.ts). */
export const busConflated = pgTable(
  "bus_conflated",
  {
    id: int8("id").primaryKey().generatedAlwaysAsIdentity(),
    channel: text("channel").notNull(),
    event: text("event").notNull(),
    payload: text("payload").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("bus_conflated_channel_idx").on(table.channel, table.event, table.id)],
);
