// Stored notifications: insert inside the writer's transaction, read back for replay, and the
// watermark below which notifications were pruned (a client behind it must refetch).
import { and, asc, gt, inArray, lte, max, sql } from "drizzle-orm";
import { engine, type Db, type Tx } from "@/db/client";
import { busChannelFloors, busNotifications } from "@/db/tables";
import type { WireNotification } from "./events";

/** More than this many missed notifications from the cursor: `reset: true` instead of a replay. */
export const REPLAY_LIMIT = 5000;
/** One subscribe ack carries at most this many notifications and this many bytes (SPEC §4). */
export const PAGE_ROWS = 500;
export const PAGE_BYTES = 512 * 1024;
/** The advisory lock (two int4 keys: "clic", "kbus" in ASCII) that orders announcing transactions on PostgreSQL. */
const NOTIFICATION_ORDER_LOCK = sql`${0x636c6963}::int, ${0x6b627573}::int`;

export type NewNotification = { channel: string; event: string; payload: unknown };

/**
 * Stores a transaction's notifications, in order, inside it. On PostgreSQL the transaction first
 * takes an advisory lock held until its commit, so ids are drawn and committed in the same order
 * (docs/scaling.md (b)); SQLite's write lock already gives that.
 */
export async function storeNotifications(tx: Tx, notifications: NewNotification[]): Promise<WireNotification[]> {
  if (notifications.length === 0) return [];
  if (engine().dialect === "postgres") await tx.execute(sql`select pg_advisory_xact_lock(${NOTIFICATION_ORDER_LOCK})`);
  const rows = await tx
    .insert(busNotifications)
    .values(notifications.map(({ channel, event, payload }) => ({ channel, event, payload: JSON.stringify(payload) })))
    .returning({ id: busNotifications.id, createdAt: busNotifications.createdAt });
  // Ids are drawn in the order of the values; RETURNING's own order is not promised.
  rows.sort((a, b) => a.id - b.id);
  return notifications.map((notification, index) => {
    const row = rows[index];
    if (!row) throw new Error("the store returned fewer ids than it was given notifications");
    return { ...notification, id: row.id, at: row.createdAt.toISOString() };
  });
}

const latestIdStatements = new WeakMap<Db, { get: () => unknown }>();

/**
 * The newest notification id ever stored (0 when none). Read on every subscribe: prepared once
 * per connection, since building and compiling it each time was most of an idle subscribe's
 * cost in the database.
 */
export function latestNotificationId(db: Db): number {
  let statement = latestIdStatements.get(db);
  if (!statement) {
    statement = db.$client.prepare("select seq from sqlite_sequence where name = 'bus_notifications'").pluck();
    latestIdStatements.set(db, statement);
  }
  const seq = statement.get();
  return typeof seq === "number" ? seq : 0;
}

/** Every id at or below this may have been pruned (from every channel). */
function prunedUpTo(db: Db, latest: number): number {
  const row = db.get<{ oldest: number | null }>(sql`select min(id) as oldest from bus_notifications`);
  return row?.oldest == null ? latest : row.oldest - 1;
}

/** The highest per-channel floor of `channels` (0 when none was trimmed on its own). */
function channelFloor(db: Db, channels: string[]): number {
  return db.select({ floor: max(busChannelFloors.prunedUpTo) }).from(busChannelFloors).where(inArray(busChannelFloors.channel, channels)).get()?.floor ?? 0;
}

/**
 * One ack's worth of replay. `last` is where the client stands after applying it: the id of the
 * page's last notification when `more`, else the latest id (so the next cursor skips the ids of
 * other channels too).
 */
export type Replay = { notifications: WireNotification[]; last: number; more: boolean; reset: boolean };

export type PageLimits = { rows: number; bytes: number };

/** What a notification weighs on the wire, near enough to keep an ack under PAGE_BYTES. */
const wireBytes = (row: typeof busNotifications.$inferSelect): number => row.payload.length + row.channel.length + row.event.length + 72;

/**
 * The notifications of `channels` with last < id <= the current latest id, oldest first, at most
 * one page. `reset` when the cursor is behind what is kept, ahead of the database, or more than
 * REPLAY_LIMIT behind.
 */
/** `latest`: the newest id, when the caller has just read it (the replay cache's key). */
export function readReplay(db: Db, channels: string[], last: number | undefined, limits: PageLimits = { rows: PAGE_ROWS, bytes: PAGE_BYTES }, latest = latestNotificationId(db)): Replay {
  const nothing = (reset: boolean): Replay => ({ notifications: [], last: latest, more: false, reset });
  if (last === undefined || channels.length === 0 || last >= latest) return nothing(last !== undefined && last > latest);
  if (last < prunedUpTo(db, latest) || last < channelFloor(db, channels)) return nothing(true);
  const after = and(inArray(busNotifications.channel, channels), gt(busNotifications.id, last), lte(busNotifications.id, latest));
  const rows = db.select().from(busNotifications).where(after).orderBy(asc(busNotifications.id)).limit(limits.rows + 1).all();
  if (rows.length > limits.rows && missedCount(db, after) > REPLAY_LIMIT) return nothing(true);
  const page: WireNotification[] = [];
  let bytes = 0;
  for (const row of rows.slice(0, limits.rows)) {
    bytes += wireBytes(row);
    // Always at least one, so a client paging through always moves forward.
    if (page.length > 0 && bytes > limits.bytes) break;
    page.push(toWire(row));
  }
  const more = page.length < rows.length;
  return { notifications: page, last: more ? (page.at(-1)?.id ?? last) : latest, more, reset: false };
}

/** How many notifications match `where`, counting no further than just past REPLAY_LIMIT. */
function missedCount(db: Db, where: ReturnType<typeof and>): number {
  const capped = db.select({ id: busNotifications.id }).from(busNotifications).where(where).limit(REPLAY_LIMIT + 1).as("capped");
  return db.select({ count: sql<number>`count(*)` }).from(capped).get()?.count ?? 0;
}

function toWire(row: typeof busNotifications.$inferSelect): WireNotification {
  return { id: row.id, channel: row.channel, event: row.event, payload: JSON.parse(row.payload) as unknown, at: row.createdAt.toISOString() };
}

/**
 * Every channel's notifications with id > `since`, oldest first, at most `limit`; `complete`
 * false when there were more (or some were already pruned). For a node catching up after a
 * Redis outage, whatever its rooms.
 */
export function readSince(db: Db, since: number, limit: number): { notifications: WireNotification[]; complete: boolean } {
  const latest = latestNotificationId(db);
  if (since >= latest) return { notifications: [], complete: true };
  if (since < prunedUpTo(db, latest)) return { notifications: [], complete: false };
  const rows = db.select().from(busNotifications).where(gt(busNotifications.id, since)).orderBy(asc(busNotifications.id)).limit(limit + 1).all();
  return { notifications: rows.slice(0, limit).map(toWire), complete: rows.length <= limit };
}
