// Reading stored notifications back: one subscribe's page of replay (with the `reset` rule: a
// cursor behind what is kept, ahead of the database, or too far behind), and everything since an
// id for a node catching up after a Redis outage.
import { and, asc, gt, inArray, lte, max, min, ne, sql, type SQL } from "drizzle-orm";
import { busDb } from "./bus-database";
import type { WireNotification } from "./events";
import { latestNotificationId, PAGE_BYTES, PAGE_ROWS, REMOVED_UP_TO, REPLAY_LIMIT, wireBytes } from "./store";
import { busChannelFloors, busNotifications } from "./tables";

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
