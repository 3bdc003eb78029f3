// Who belongs to which game: the single check behind channel authorization, actions and the API.
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { db } from "@/db/client";
import { members, type MemberRole } from "@/db/schema";

/** The user's role in the game, or null when the game is missing or the user is not a member. */
export function memberRole(gameId: number, userId: number, from: Db | Tx = db()): MemberRole | null {
  const row = from
    .select({ role: members.role })
    .from(members)
    .where(and(eq(members.gameId, gameId), eq(members.userId, userId)))
    .get();
  return row?.role ?? null;
}
