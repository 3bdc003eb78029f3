// Recent replay pages, shared by the sockets that ask for the same one: after an outage a whole
// room comes back with the same cursor, and one read (and one JSON encoding, wire-encoder.ts)
// serves them all.
import { readReplay, type PageLimits, type Replay } from "./replay-read";
import { latestNotificationId } from "./store";
import { sharePage } from "./wire-encoder";

/** At most 512 KiB a page (store.ts), and as much again for its JSON once sent: 64 MiB at worst. */
const KEPT_PAGES = 64;
/** Pages being read are kept too, so sockets asking at the same moment share one read. */
const pages = new Map<string, Promise<Replay>>();

/**
 * `readReplay`, remembered by (latest id, cursor, channels, limits). Keyed on the latest id, a
 * page never goes stale: every id at or below it is final (SQLite serializes writers and a
 * rollback takes its id back; PostgreSQL commits announcing transactions in id order, store.ts),
 * so a later read would return the same rows. `latest`: when the caller has just read it.
 */
export async function cachedReplay(
  channels: string[],
  last: number | undefined,
  limits: PageLimits,
  latest?: number,
): Promise<Replay> {
  if (last === undefined) return readReplay(channels, last, limits, latest);
  const upTo = latest ?? (await latestNotificationId());
  const key = `${upTo}|${last}|${limits.rows}|${limits.bytes}|${[...channels].sort().join(",")}`;
  const known = pages.get(key);
  if (known) return known;
  const page = readReplay(channels, last, limits, upTo).then((replay) => ({
    ...replay,
    notifications: sharePage(replay.notifications),
  }));
  pages.set(key, page);
  if (pages.size > KEPT_PAGES) pages.delete(pages.keys().next().value ?? "");
  // A failed read (the database away) is not remembered: the next ask reads again.
  page.catch(() => {
    if (pages.get(key) === page) pages.delete(key);
  });
  return page;
}
