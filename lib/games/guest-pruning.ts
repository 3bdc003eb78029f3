// Removes guests who never set a password and were not seen for GUEST_RETENTION_DAYS, with their
// memberships (announced as a departure); their clicks stay in the games' totals, which are kept
// on the game. Guests who own a game are kept (their game would go with them). Every node sweeps
// hourly; each guest goes in one transaction whose deletes carry the conditions, so it is once.
import { and, eq, exists, isNull, lt, notExists, or } from "drizzle-orm";
import { db } from "@/db/client";
import { games, members, users } from "@/db/tables";
import { gameChannel } from "@/lib/games/channels";
import { userChannel } from "@/lib/realtime/user-channel";
import { disconnectUser } from "@/lib/bus/revoke";
import { transact } from "@/lib/realtime/transact";
import { env } from "@/lib/config/env";
import { log } from "@/lib/log";
import { startPeriodic } from "@/lib/runtime/periodic";
import { recordActivity } from "./activity";

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const GUESTS_PER_SWEEP = 500;

/** The user `userId`, if a guest last seen before `cutoff` who owns no game (SQL condition on `users`). */
function staleGuest(cutoff: Date) {
  return and(
    eq(users.guest, true),
    // coalesce(last seen, created) < cutoff, written so each comparison binds a Date through its
    // column (epoch ms on SQLite, a timestamptz on PostgreSQL).
    or(lt(users.lastSeenAt, cutoff), and(isNull(users.lastSeenAt), lt(users.createdAt, cutoff))),
    notExists(db().select({ id: games.id }).from(games).where(eq(games.ownerId, users.id))),
  );
}

async function pruneGuest(userId: number, cutoff: Date): Promise<boolean> {
  return transact(async (scope) => {
    // The first statement writes, so this transaction holds the write lock from here on (SQLite),
    // or the rows' locks (PostgreSQL: a second node pruning the same guest waits, then finds the
    // rows gone and does nothing).
    const left = await scope.tx
      .delete(members)
      .where(
        and(
          eq(members.userId, userId),
          exists(
            db()
              .select({ id: users.id })
              .from(users)
              .where(and(eq(users.id, userId), staleGuest(cutoff))),
          ),
        ),
      )
      .returning({ gameId: members.gameId });
    const [gone] = await scope.tx
      .delete(users)
      .where(and(eq(users.id, userId), staleGuest(cutoff)))
      .returning({ id: users.id, username: users.username });
    if (!gone) return false;
    for (const { gameId } of left) {
      await recordActivity(scope, gameId, "left", gone.username, "guest expired");
      scope.announce(gameChannel(gameId), "member_left", { member: gone, reason: "left" });
      scope.announce(userChannel(userId), "game_removed", { gameId, reason: "left" });
    }
    scope.afterCommit(() => disconnectUser(userId));
    return true;
  });
}

/** Removes the guests inactive for `inactiveDays` before `now`; answers how many went. */
export async function pruneInactiveGuests({
  inactiveDays,
  now = Date.now(),
}: {
  inactiveDays: number;
  now?: number;
}): Promise<number> {
  const cutoff = new Date(now - inactiveDays * DAY_MS);
  const candidates = await db().select({ id: users.id }).from(users).where(staleGuest(cutoff)).limit(GUESTS_PER_SWEEP);
  let pruned = 0;
  for (const { id } of candidates) if (await pruneGuest(id, cutoff)) pruned += 1;
  return pruned;
}

/** Sweeps now and then hourly; returns a function that stops it. */
export function startGuestPruning(): () => void {
  return startPeriodic({
    everyMs: SWEEP_EVERY_MS,
    runNow: true,
    failure: "guest pruning failed",
    run: async () => {
      const pruned = await pruneInactiveGuests({ inactiveDays: env().GUEST_RETENTION_DAYS });
      if (pruned > 0) log.info({ pruned }, "inactive guests removed");
    },
  });
}
