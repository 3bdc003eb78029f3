// Stored notifications: insert inside the writer's transaction, read back for replay, and the
// watermark below which notifications were pruned (a client behind it must refetch).
import { and, asc, gt, inArray, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { busNotifications } from "@/db/schema";
import type { WireNotification } from "./events";

/** Above this many missed notifications a subscriber gets `reset: true` instead of a replay. */
export const REPLAY_LIMIT = 5000;

export function storeNotification(tx: Tx, channel: string, event: string, payload: unknown): WireNotification {
  const row = tx
    .insert(busNotifications)
    .values({ channel, event, payload: JSON.stringify(payload) })
    .returning({ id: busNotifications.id, createdAt: busNotifications.createdAt })
    .get();
  return { id: row.id, channel, event, payload, at: row.createdAt.toISOString() };
}

/** The newest notification id ever stored (0 when none). */
export function latestNotificationId(db: Db): number {
  const row = db.get<{ seq: number | null }>(sql`select seq from sqlite_sequence where name = 'bus_notifications'`);
  return row?.seq ?? 0;
}

/** Every id at or below this may have been pruned. */
function prunedUpTo(db: Db, latest: number): number {
  const row = db.get<{ oldest: number | null }>(sql`select min(id) as oldest from bus_notifications`);
  return row?.oldest == null ? latest : row.oldest - 1;
}

export type Replay = { notifications: WireNotification[]; last: number; reset: boolean };

/**
 * Notifications of `channels` with last < id <= the current latest id, oldest first. `reset`
 * when the client's cursor is behind what is kept, ahead of the database, or too far behind.
 */
export function readReplay(db: Db, channels: string[], last: number | undefined): Replay {
  const latest = latestNotificationId(db);
  if (last === undefined || channels.length === 0 || last >= latest) {
    return { notifications: [], last: latest, reset: last !== undefined && last > latest };
  }
  if (last < prunedUpTo(db, latest)) return { notifications: [], last: latest, reset: true };
  const rows = db
    .select()
    .from(busNotifications)
    .where(and(inArray(busNotifications.channel, channels), gt(busNotifications.id, last), lte(busNotifications.id, latest)))
    .orderBy(asc(busNotifications.id))
    .limit(REPLAY_LIMIT + 1)
    .all();
  if (rows.length > REPLAY_LIMIT) return { notifications: [], last: latest, reset: true };
  return { notifications: rows.map(toWire), last: latest, reset: false };
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
