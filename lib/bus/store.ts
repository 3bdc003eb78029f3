// Stored notifications: insert inside the writer's transaction, the latest id, and what one
// weighs on the wire. Reading them back for replay is replay-read.ts.
import type Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { lockUntilCommit, type LockKey } from "@/lib/sql/advisory-lock";
import { preparedOnce } from "@/lib/sql/prepared";
import type { SqlHandle } from "@/lib/sql/sql-handle";
import { busDatabase, busDb } from "./bus-database";
import { busChannelFloors, busNotifications } from "./tables";
import type { WireNotification } from "./events";

/** More than this many missed notifications from the cursor: `reset: true` instead of a replay. */
export const REPLAY_LIMIT = 5000;
/** One subscribe ack carries at most this many notifications and bytes (docs/protocol.md#paging-with-more). */
export const PAGE_ROWS = 500;
export const PAGE_BYTES = 512 * 1024;
/** The advisory lock (two int4 keys: "clic", "kbus" in ASCII) that orders announcing transactions on PostgreSQL. */
export const NOTIFICATION_ORDER_LOCK: LockKey = [0x636c6963, 0x6b627573];
/**
 * The reserved row of bus_channel_floors where retention records the highest id it ever removed:
 * on PostgreSQL the latest id is the greater of it and max(id), as SQLite's sqlite_sequence is.
 * No channel can be named `*` (channel-name.ts), and the floor reads below skip it anyway.
 */
export const REMOVED_UP_TO = "*";

export type NewNotification = { channel: string; event: string; payload: unknown };

/**
 * Stores a transaction's notifications, in order, inside it. On PostgreSQL the transaction first
 * takes an advisory lock held until its commit, so ids are drawn and committed in the same order
 * (docs/postgres.md, "Ids that commit in id order"); SQLite's write lock already gives that.
 */
export async function storeNotifications(tx: SqlHandle, notifications: NewNotification[]): Promise<WireNotification[]> {
  if (notifications.length === 0) return [];
  await lockUntilCommit(tx, NOTIFICATION_ORDER_LOCK, busDatabase().dialect());
  const rows = await tx
    .insert(busNotifications)
    .values(notifications.map(({ channel, event, payload }) => ({ channel, event, payload: JSON.stringify(payload) })))
    .returning({ id: busNotifications.id, createdAt: busNotifications.createdAt });
  // Ids are drawn in the order of the values; RETURNING's own order is not promised.
  rows.sort((a, b) => a.id - b.id);
  return notifications.map((notification, index) => {
    const row = rows[index];
    if (!row) throw new Error("the store returned fewer ids than it was given notifications");
    // Keys in the wire's order (id first), as volatile and replayed ones have them: the crowd's and
    // the bench's light decoder reads a frame's head only when it starts with the id.
    const { channel, event, payload } = notification;
    return { id: row.id, channel, event, payload, at: row.createdAt.toISOString() };
  });
}

const sqliteSequence = new WeakMap<Database.Database, Database.Statement>();

/** SQLite: AUTOINCREMENT's high-water mark, which neither deletes nor pruning lower. */
function sqliteLatest(reader: Database.Database): number {
  let statement = sqliteSequence.get(reader);
  if (!statement) {
    statement = reader.prepare("select seq from sqlite_sequence where name = 'bus_notifications'").pluck();
    sqliteSequence.set(reader, statement);
  }
  const seq: unknown = statement.get();
  return typeof seq === "number" ? seq : 0;
}

/**
 * PostgreSQL: the newest committed id, or the highest one retention removed. Never the sequence's
 * last_value, which counts ids drawn by transactions still open (or rolled back).
 */
const postgresLatest = preparedOnce(busDb, (connection) =>
  connection
    .select({
      latest:
        sql<number>`greatest(coalesce(max(${busNotifications.id}), 0), coalesce((select ${busChannelFloors.prunedUpTo} from ${busChannelFloors} where ${busChannelFloors.channel} = ${REMOVED_UP_TO}), 0))`.mapWith(
          Number,
        ),
    })
    .from(busNotifications)
    .prepare("bus_latest_notification_id"),
);

/**
 * The newest notification id ever stored (0 when none); every id at or below it is final
 * (committed or never to be). Read on every subscribe, so prepared once per connection. Inside
 * a transaction, SQLite reads on its reader (committed ids only) and PostgreSQL on the
 * transaction (its own inserts too); nothing asks for it there.
 */
export async function latestNotificationId(): Promise<number> {
  const reader = busDatabase().sqliteReader();
  if (reader) return sqliteLatest(reader);
  const [row] = await postgresLatest().execute();
  return row?.latest ?? 0;
}

/**
 * What a notification weighs on the wire, near enough to keep an ack under PAGE_BYTES: the one
 * rule, for a stored row (its payload as stored text) and for a notification read already.
 */
export const wireBytes = (row: { payload: string; channel: string; event: string }): number =>
  row.payload.length + row.channel.length + row.event.length + 72;

export const notificationBytes = (notification: WireNotification): number =>
  wireBytes({ ...notification, payload: JSON.stringify(notification.payload) });
