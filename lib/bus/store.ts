// Stored notifications: insert inside the writer's transaction, read back for replay, the latest
// id, and the watermark below which notifications were pruned (a client behind it must refetch).
import type Database from "better-sqlite3";
import { and, asc, gt, inArray, lte, max, min, ne, sql, type SQL } from "drizzle-orm";
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
 * Every id at or below `prunedUpTo` may have been pruned: from every channel (the kept ids start
 * after a prefix), or from one of `channels` (its floor). Read after the rows it vouches for: a
 * prune that removed some of them has committed by then, so its floors are seen.
 */
async function prunedUpTo(channels: string[] | null, latest: number): Promise<number> {
  const [oldest, floor] = await Promise.all([
    busDb()
      .select({ id: min(busNotifications.id) })
      .from(busNotifications),
    channels === null || channels.length === 0
      ? [{ floor: 0 }]
      : busDb()
          .select({ floor: max(busChannelFloors.prunedUpTo) })
          .from(busChannelFloors)
          .where(and(inArray(busChannelFloors.channel, channels), ne(busChannelFloors.channel, REMOVED_UP_TO))),
  ]);
  const prefix = oldest[0]?.id == null ? latest : oldest[0].id - 1;
  return Math.max(prefix, floor[0]?.floor ?? 0);
}

/**
 * One ack's worth of replay. `last` is where the client stands after applying it: the id of the
 * page's last notification when `more`, else the latest id (so the next cursor skips the ids of
 * other channels too).
 */
export type Replay = { notifications: readonly WireNotification[]; last: number; more: boolean; reset: boolean };

export type PageLimits = { rows: number; bytes: number };

/**
 * What a notification weighs on the wire, near enough to keep an ack under PAGE_BYTES: the one
 * rule, for a stored row (its payload as stored text) and for a notification read already.
 */
export const wireBytes = (row: { payload: string; channel: string; event: string }): number =>
  row.payload.length + row.channel.length + row.event.length + 72;

export const notificationBytes = (notification: WireNotification): number =>
  wireBytes({ ...notification, payload: JSON.stringify(notification.payload) });

type Row = typeof busNotifications.$inferSelect;

/** `rows` cut to the limits: always at least one row when rows > 0, so paging moves forward. */
function pageOf(rows: Row[], limits: PageLimits): WireNotification[] {
  const page: WireNotification[] = [];
  let bytes = 0;
  for (const row of rows.slice(0, limits.rows)) {
    bytes += wireBytes(row);
    if (page.length > 0 && bytes > limits.bytes) break;
    page.push(toWire(row));
  }
  return page;
}

/**
 * The notifications of `channels` with last < id <= the latest id, oldest first, at most one
 * page. `reset` when the cursor is behind what is kept, ahead of the database, or more than
 * REPLAY_LIMIT behind. `latest`: the newest id, when the caller has just read it (the replay
 * cache's key).
 */
export async function readReplay(
  channels: string[],
  last: number | undefined,
  limits: PageLimits = { rows: PAGE_ROWS, bytes: PAGE_BYTES },
  latest?: number,
): Promise<Replay> {
  const upTo = latest ?? (await latestNotificationId());
  const nothing = (reset: boolean): Replay => ({ notifications: [], last: upTo, more: false, reset });
  if (last === undefined || channels.length === 0 || last >= upTo) return nothing(last !== undefined && last > upTo);
  const after = and(
    inArray(busNotifications.channel, channels),
    gt(busNotifications.id, last),
    lte(busNotifications.id, upTo),
  );
  const rows = await busDb()
    .select()
    .from(busNotifications)
    .where(after)
    .orderBy(asc(busNotifications.id))
    .limit(limits.rows + 1);
  if (last < (await prunedUpTo(channels, upTo))) return nothing(true);
  if (rows.length > limits.rows && (await missedCount(after)) > REPLAY_LIMIT) return nothing(true);
  const page = pageOf(rows, limits);
  const more = page.length < rows.length;
  return { notifications: page, last: more ? (page.at(-1)?.id ?? last) : upTo, more, reset: false };
}

/** How many notifications match `where`, counting no further than just past REPLAY_LIMIT. */
async function missedCount(where: SQL | undefined): Promise<number> {
  const capped = busDb()
    .select({ id: busNotifications.id })
    .from(busNotifications)
    .where(where)
    .limit(REPLAY_LIMIT + 1)
    .as("capped");
  const [row] = await busDb()
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(capped);
  return row?.count ?? 0;
}

function toWire(row: Row): WireNotification {
  return {
    id: row.id,
    channel: row.channel,
    event: row.event,
    payload: JSON.parse(row.payload) as unknown,
    at: row.createdAt.toISOString(),
  };
}

/**
 * Every channel's notifications with id > `since`, oldest first, at most `limit`; `complete`
 * false when there were more (or some were already pruned). For a node catching up after a
 * Redis outage, whatever its rooms.
 */
export async function readSince(
  since: number,
  limit: number,
): Promise<{ notifications: WireNotification[]; complete: boolean }> {
  const latest = await latestNotificationId();
  if (since >= latest) return { notifications: [], complete: true };
  const rows = await busDb()
    .select()
    .from(busNotifications)
    .where(and(gt(busNotifications.id, since), lte(busNotifications.id, latest)))
    .orderBy(asc(busNotifications.id))
    .limit(limit + 1);
  if (since < (await prunedUpTo(null, latest))) return { notifications: [], complete: false };
  return { notifications: rows.slice(0, limit).map(toWire), complete: rows.length <= limit };
}
