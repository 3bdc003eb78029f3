// Who belongs to which game: the single check behind channel authorization, actions and the API.
import { and, eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { preparedOnce } from "@/lib/sql/prepared";
import { members } from "@/db/tables";
import type { MemberRole } from "@/db/schema";

// Named: PostgreSQL prepares it once per server connection under this name (unique in the app).
const roleQuery = preparedOnce(db, (connection) =>
  connection
    .select({ role: members.role })
    .from(members)
    .where(and(eq(members.gameId, sql.placeholder("gameId")), eq(members.userId, sql.placeholder("userId"))))
    .limit(1)
    .prepare("games_member_role"),
);

/**
 * The user's role in the game, or null when the game is missing or the user is not a member.
 * Called inside a transaction, it reads that transaction's state (`db()` is its handle).
 */
export async function memberRole(gameId: number, userId: number): Promise<MemberRole | null> {
  const [row] = await roleQuery().execute({ gameId, userId });
  return row?.role ?? null;
}

/** `memberRole` under the name pages import. */
export const findMemberRole = memberRole;
