// A subscribe's replay once it has joined: the first page read before the join, then what was
// committed between that read and the join, within the same page limits (docs/postgres.md,
// "Subscribe without a synchronous store").
import { readReplay, type PageLimits, type Replay } from "./replay-read";
import { latestNotificationId, notificationBytes } from "./store";

/**
 * The ack's replay once joined: the first page and (L1, L2] within the same limits. Without a
 * cursor, only `last`: L2, read after the join, so every id above it is sure to come live. A
 * full first page (`more`) or a `reset` is answered as it is.
 */
export async function afterJoin(first: Replay | undefined, channels: string[], limits: PageLimits): Promise<Replay> {
  if (first === undefined) return { notifications: [], last: await latestNotificationId(), more: false, reset: false };
  if (first.more || first.reset) return first;
  const rows = limits.rows - first.notifications.length;
  const bytes =
    limits.bytes - first.notifications.reduce((sum, notification) => sum + notificationBytes(notification), 0);
  // No room left: a zero-row read says `more` (from L1) when (L1, L2] holds anything.
  const room = rows > 0 && bytes > 0 ? { rows, bytes } : { rows: 0, bytes: 0 };
  const second = await readReplay(channels, first.last, room);
  if (second.reset) return second;
  if (second.notifications.length === 0) return { ...second, notifications: first.notifications };
  return {
    notifications: [...first.notifications, ...second.notifications],
    last: second.last,
    more: second.more,
    reset: false,
  };
}
