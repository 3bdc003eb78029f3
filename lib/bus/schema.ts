// The bus's tables on SQLite (Drizzle): stored notifications, per-channel retention floors and
// conflated announcements waiting for their window. The app's migrations create them (drizzle.config.ts
// reads this file beside db/schema.ts); lib/bus/schema-pg.ts is the PostgreSQL twin.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const busNotifications = sqliteTable(
  "bus_notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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

/**
 * Per-channel retention floors: every notification of `channel` with an id at or below
 * `prunedUpTo` may be gone (pruned because the channel had more than its share), so a cursor
 * below it must `reset`. Global pruning removes a prefix of all ids and needs no row here.
 */
export const busChannelFloors = sqliteTable("bus_channel_floors", {
  channel: text("channel").primaryKey(),
  prunedUpTo: integer("pruned_up_to").notNull(),
});

/**
 * Conflated announcements (lib/bus/conflation.ts) committed inside their channel's window, kept
 * here in the announcing transaction until the window closes and they are merged into one stored
 * notification: a node that dies meanwhile loses none of them (another node, or its restart,
 * merges them).
 */
export const busConflated = sqliteTable(
  "bus_conflated",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    channel: text("channel").notNull(),
    event: text("event").notNull(),
    payload: text("payload").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("bus_conflated_channel_idx").on(table.channel, table.event, table.id)],
);
