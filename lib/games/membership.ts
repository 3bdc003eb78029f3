// Who belongs to which game: the single check behind channel authorization, actions and the API.
import { and, eq, sql } from "drizzle-orm";
import { preparedOnce } from "@/db/prepared";
import { members } from "@/db/tables";
import type { MemberRole } from "@/db/schema";

const roleQuery = preparedOnce((connection) =>
  connection
    .select({ role: members.role })
    .from(members)
    .where(and(eq(members.gameId, sql.placeholder("gameId")), eq(members.userId, sql.placeholder("userId"))))
    .prepare(),
);

/**
 * The user's role in the game, or null when the game is missing or the user is not a member.
 * Called inside a transaction, it reads that transaction's state (one connection per process).
 * Synchronous on purpose: transactions (`transact`) and channel authorization call it, and both
 * are synchronous in lib/bus until its own step of issue #14. Pages use `findMemberRole`.
 */
export function memberRole(gameId: number, userId: number): MemberRole | null {
  return roleQuery().get({ gameId, userId })?.role ?? null;
}

/** `memberRole` for callers outside a transaction (pages): async like the rest of the data layer (#14). */
export async function findMemberRole(gameId: number, userId: number): Promise<MemberRole | null> {
  return memberRole(gameId, userId);
}
