// Each player's clicks in the running round, added by the click path inside its transaction: a
// batch counts when its transaction commits between the round's start and its end, and before
// the round was ended (the end is a write to the same round: the engine orders the two).
import { and, desc, asc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { db, engine, type Db, type Tx } from "@/db/client";
import { preparedOnce } from "@/lib/sql/prepared";
import { roundScores, rounds, users } from "@/db/tables";
import type { PodiumEntry } from "@/db/schema";

const p = sql.placeholder;
const addStatement = preparedOnce(db, (connection) => {
  // The casts give the selected placeholders a type: PostgreSQL infers none for a bare
  // parameter in a select list.
  const running = connection
    .select({
      roundId: rounds.id,
      userId: sql<number>`cast(${p("userId")} as integer)`.as("user_id"),
      clicks: sql<number>`cast(${p("count")} as integer)`.as("clicks"),
    })
    .from(rounds)
    .where(
      and(
        eq(rounds.gameId, p("gameId")),
        isNull(rounds.endedAt),
        lte(rounds.startsAt, p("now")),
        gt(rounds.endsAt, p("now")),
      ),
    )
    .$dynamic();
  // SQLite runs one write transaction at a time, so a batch and the round's end never overlap.
  // PostgreSQL's do: the share lock makes an ending that comes first keep this batch out (the
  // row is re-checked once it commits) and one that comes second wait for it, so its podium
  // counts the batch.
  return connection
    .insert(roundScores)
    .select(engine().dialect === "postgres" ? running.for("share") : running)
    .onConflictDoUpdate({
      target: [roundScores.roundId, roundScores.userId],
      set: { clicks: sql`${roundScores.clicks} + excluded.clicks` },
    })
    .returning({ roundId: roundScores.roundId, clicks: roundScores.clicks })
    .prepare("games_add_to_running_round");
});

/** Adds `count` to the player's score in the game's running round, if one runs at `now`: the round and the new score. */
export async function addToRunningRound(params: {
  gameId: number;
  userId: number;
  count: number;
  now: Date;
}): Promise<{ roundId: number; clicks: number } | undefined> {
  // A placeholder's value reaches the driver as given: the column encodes the Date the way its
  // engine stores it (epoch ms on SQLite, an ISO string for PostgreSQL's timestamptz).
  const [score] = await addStatement().execute({ ...params, now: rounds.startsAt.mapToDriverValue(params.now) });
  return score;
}

export const PODIUM_SIZE = 3;

/** The round's scores so far, best first (ties by name), at most `limit`. */
export async function standingsOf(roundId: number, limit: number, from: Db = db()): Promise<PodiumEntry[]> {
  return from
    .select({ userId: roundScores.userId, username: users.username, clicks: roundScores.clicks })
    .from(roundScores)
    .innerJoin(users, eq(users.id, roundScores.userId))
    .where(and(eq(roundScores.roundId, roundId), gt(roundScores.clicks, 0)))
    .orderBy(desc(roundScores.clicks), asc(users.username))
    .limit(limit);
}

/** The round's top three, from inside the transaction that ends it. */
export const podiumOf = (tx: Tx, roundId: number): Promise<PodiumEntry[]> => standingsOf(roundId, PODIUM_SIZE, tx);
