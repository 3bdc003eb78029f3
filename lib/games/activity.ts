// The game's activity feed: entries are written inside the change's transaction, and a bare
// `activity` signal tells open pages to re-render (the seed's refetch pattern).
import { desc, eq } from "drizzle-orm";
import { db, type Db } from "@/db/client";
import { activities } from "@/db/tables";
import type { ActivityKind } from "@/db/schema";
import { gameChannel } from "@/lib/games/channels";
import type { TransactionScope } from "@/lib/realtime/transact";

export async function recordActivity(
  scope: TransactionScope,
  gameId: number,
  kind: ActivityKind,
  actor: string,
  detail = "",
): Promise<void> {
  await scope.tx.insert(activities).values({ gameId, kind, actor, detail });
  scope.announce(gameChannel(gameId), "activity", {});
}

export type ActivityEntry = { id: number; kind: ActivityKind; actor: string; detail: string; createdAt: Date };

export async function recentActivity(gameId: number, limit = 20, from: Db = db()): Promise<ActivityEntry[]> {
  return from
    .select({
      id: activities.id,
      kind: activities.kind,
      actor: activities.actor,
      detail: activities.detail,
      createdAt: activities.createdAt,
    })
    .from(activities)
    .where(eq(activities.gameId, gameId))
    .orderBy(desc(activities.id))
    .limit(limit);
}
