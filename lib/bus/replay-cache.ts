// Recent replay pages, shared by the sockets that ask for the same one: after an outage a whole
// room comes back with the same cursor, and one read serves them all.
import type { Db } from "@/db/client";
import { latestNotificationId, readReplay, type PageLimits, type Replay } from "./store";

const KEPT_PAGES = 64;
const pages = new Map<string, Replay>();

/**
 * `readReplay`, remembered by (latest id, cursor, channels, limits). Keyed on the latest id, a
 * page never goes stale: with SQLite every id at or below it is committed (writers are
 * serialized, and a rollback takes its id back), so a later read would return the same rows.
 */
export function cachedReplay(db: Db, channels: string[], last: number | undefined, limits: PageLimits): Replay {
  if (last === undefined) return readReplay(db, channels, last, limits);
  const latest = latestNotificationId(db);
  const key = `${latest}|${last}|${limits.rows}|${limits.bytes}|${[...channels].sort().join(",")}`;
  const known = pages.get(key);
  if (known) return known;
  const page = readReplay(db, channels, last, limits, latest);
  pages.set(key, page);
  if (pages.size > KEPT_PAGES) pages.delete(pages.keys().next().value ?? "");
  return page;
}
