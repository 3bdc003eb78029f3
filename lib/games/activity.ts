// The game's activity feed: entries are written inside the change's transaction, and a bare
// `activity` signal tells open pages to re-render (the seed's refetch pattern).
import { desc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { db } from "@/db/client";
import { activities } from "@/db/tables";
import type { ActivityKind } from "@/db/schema";
import { gameChannel } from "@/lib/games/channels";
import type { TransactionScope } from "@/lib/bus/transact";

export function recordActivity(scope: TransactionScope, gameId: number, kind: ActivityKind, actor: string, detail = ""): void {
  scope.tx.insert(activities).values({ gameId, kind, actor, detail }).run();
  scope.announce(gameChannel(gameId), "activity", {});
}

export type ActivityEntry = { id: number; kind: ActivityKind; actor: string; detail: string; createdAt: Date };

export async function recentActivity(gameId: number, limit = 20, from: Tx | ReturnType<typeof db> = db()): Promise<ActivityEntry[]> {
  return from
    .select({ id: activities.id, kind: activities.kind, actor: activities.actor, detail: activities.detail, createdAt: activities.createdAt })
    .from(activities)
    .where(eq(activities.gameId, gameId))
    .orderBy(desc(activities.id))
    .limit(limit)
    .all();
}
