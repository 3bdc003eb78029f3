// Each player's clicks in the running round, added by the click path inside its transaction: a
// batch counts when its transaction commits between the round's start and its end, and before
// the round was ended (the end is a write too, so SQLite orders the two).
import { and, desc, asc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { preparedOnce } from "@/db/prepared";
import { roundScores, rounds, users } from "@/db/tables";
import type { PodiumEntry } from "@/db/schema";

const p = sql.placeholder;
const addStatement = preparedOnce((connection) =>
  connection
    .insert(roundScores)
    .select(
      connection
        .select({ roundId: rounds.id, userId: sql<number>`${p("userId")}`.as("user_id"), clicks: sql<number>`${p("count")}`.as("clicks") })
        .from(rounds)
        .where(and(eq(rounds.gameId, p("gameId")), isNull(rounds.endedAt), lte(rounds.startsAt, p("now")), gt(rounds.endsAt, p("now")))),
    )
    .onConflictDoUpdate({ target: [roundScores.roundId, roundScores.userId], set: { clicks: sql`${roundScores.clicks} + excluded.clicks` } })
    .prepare(),
);

/** Adds `count` to the player's score in the game's running round, if one runs at `now`. */
export function addToRunningRound(params: { gameId: number; userId: number; count: number; now: number }): void {
  addStatement().run(params);
}

export const PODIUM_SIZE = 3;

/** The round's scores so far, best first (ties by name), at most `limit`. */
export function standingsOf(from: Tx | Db, roundId: number, limit: number): PodiumEntry[] {
  return from
    .select({ userId: roundScores.userId, username: users.username, clicks: roundScores.clicks })
    .from(roundScores)
    .innerJoin(users, eq(users.id, roundScores.userId))
    .where(and(eq(roundScores.roundId, roundId), gt(roundScores.clicks, 0)))
    .orderBy(desc(roundScores.clicks), asc(users.username))
    .limit(limit)
    .all();
}

/** The round's top three, from inside the transaction that ends it. */
export const podiumOf = (tx: Tx, roundId: number): PodiumEntry[] => standingsOf(tx, roundId, PODIUM_SIZE);
