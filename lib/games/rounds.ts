// Timed rounds: the owner starts one (5–600 s) or ends it early; the server ends it on time.
// Ending is one conditional UPDATE (`ended_at is null`) as the transaction's first statement, so
// whichever node or caller gets there first ends it and announces the podium, exactly once.
import { and, desc, eq, isNull, lte, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { rounds } from "@/db/tables";
import type { PodiumEntry } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/users";
import { gameChannel } from "@/lib/games/channels";
import { transact, type TransactionScope } from "@/lib/realtime/transact";
import { requireMember, requireOwner } from "./access";
import { AppError, parseInput } from "@/lib/runtime/app-error";
import { spendMutation } from "@/lib/runtime/mutation-rate";
import { parseGameId } from "./games";
import { podiumOf, standingsOf } from "./round-scores";
import { roundIdSchema, startRoundSchema } from "./schemas";

export type RoundSummary = { id: number; startsAt: string; endsAt: string };
export type RoundView = RoundSummary & { endedAt: string | null; podium: PodiumEntry[] };

/** How many past rounds the history (and the API) lists. */
export const ROUND_HISTORY = 50;

type Ending = { id: number; gameId: number };

/** The round's podium, stored on it and announced; call right after winning the conditional update. */
async function finish(scope: TransactionScope, round: Ending): Promise<PodiumEntry[]> {
  const podium = await podiumOf(scope.tx, round.id);
  await scope.tx.update(rounds).set({ podium }).where(eq(rounds.id, round.id));
  scope.announce(gameChannel(round.gameId), "round_ended", { id: round.id, podium });
  return podium;
}

/**
 * The conditional update that ends a round: sets `endedAt` on the running round matching `which`
 * whose time is up at `now`, then stores and announces its podium. False when none matched (not
 * due, or another node or caller ended it first: on PostgreSQL the second updater waits for the
 * first to commit, then finds `ended_at` set and matches nothing).
 */
async function endIfDue(scope: TransactionScope, which: SQL | undefined, now: Date): Promise<boolean> {
  const [round] = await scope.tx
    .update(rounds)
    .set({ endedAt: now })
    .where(and(which, isNull(rounds.endedAt), lte(rounds.endsAt, now)))
    .returning({ id: rounds.id, gameId: rounds.gameId });
  if (round) await finish(scope, round);
  return round !== undefined;
}

/** The owner starts a round; `conflict` while one runs. `onStarted` runs after commit (the local timer). */
export async function startRound(
  owner: SessionUser,
  gameIdInput: unknown,
  input: unknown,
  onStarted?: (endsAt: Date) => void,
): Promise<RoundSummary> {
  const gameId = parseGameId(gameIdInput);
  await requireOwner(gameId, owner.id);
  const { seconds } = parseInput(startRoundSchema, input);
  await spendMutation(owner.id);
  return transact(async (scope) => {
    const now = new Date();
    // A round past its end that the timer has not reached yet must not block the new one.
    await endIfDue(scope, eq(rounds.gameId, gameId), now);
    const runningAlready = () => new AppError("conflict", "A round is running already.");
    // Checked first so that a refusal draws no id from PostgreSQL's sequence.
    const [running] = await scope.tx
      .select({ id: rounds.id })
      .from(rounds)
      .where(and(eq(rounds.gameId, gameId), isNull(rounds.endedAt)))
      .limit(1);
    if (running) throw runningAlready();
    const endsAt = new Date(now.getTime() + seconds * 1000);
    // One running round per game is a unique index: one started meanwhile by another node's
    // transaction (PostgreSQL runs them side by side) makes this insert do nothing, not fail.
    const [round] = await scope.tx
      .insert(rounds)
      .values({ gameId, startsAt: now, endsAt })
      .onConflictDoNothing()
      .returning({ id: rounds.id });
    if (!round) throw runningAlready();
    scope.announce(gameChannel(gameId), "round_started", { id: round.id, endsAt: endsAt.toISOString() });
    if (onStarted) scope.afterCommit(() => onStarted(endsAt));
    return { id: round.id, startsAt: now.toISOString(), endsAt: endsAt.toISOString() };
  });
}

/** The owner ends the running round now; `conflict` when it has ended already. */
export async function endRoundEarly(
  owner: SessionUser,
  gameIdInput: unknown,
  roundIdInput: unknown,
): Promise<RoundView> {
  const gameId = parseGameId(gameIdInput);
  await requireOwner(gameId, owner.id);
  const parsed = roundIdSchema.safeParse(roundIdInput);
  if (!parsed.success) throw new AppError("not_found", "No such round.");
  const roundId = parsed.data;
  return transact(async (scope) => {
    const now = new Date();
    const [ended] = await scope.tx
      .update(rounds)
      .set({ endedAt: now })
      .where(and(eq(rounds.id, roundId), eq(rounds.gameId, gameId), isNull(rounds.endedAt)))
      .returning();
    if (!ended) {
      const [exists] = await scope.tx
        .select({ id: rounds.id })
        .from(rounds)
        .where(and(eq(rounds.id, roundId), eq(rounds.gameId, gameId)))
        .limit(1);
      throw exists
        ? new AppError("conflict", "This round has ended already.")
        : new AppError("not_found", "No such round.");
    }
    const podium = await finish(scope, ended);
    return { ...toView(ended), endedAt: now.toISOString(), podium };
  });
}

/**
 * Ends every round whose time is up at `now`, each in its own transaction; answers how many this
 * call ended (another node may have ended some first: its conditional update won).
 */
export async function endDueRounds(now = new Date()): Promise<number> {
  const due = await db()
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(isNull(rounds.endedAt), lte(rounds.endsAt, now)))
    .limit(100);
  let ended = 0;
  for (const { id } of due) if (await transact((scope) => endIfDue(scope, eq(rounds.id, id), now))) ended += 1;
  return ended;
}

function toView(row: typeof rounds.$inferSelect): RoundView {
  return {
    id: row.id,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    podium: row.podium ?? [],
  };
}

/** The game's rounds, newest first (the running one included, its podium empty until it ends). */
export async function listRounds(user: SessionUser, gameIdInput: unknown, limit = ROUND_HISTORY): Promise<RoundView[]> {
  const gameId = parseGameId(gameIdInput);
  await requireMember(gameId, user.id);
  const rows = await db().select().from(rounds).where(eq(rounds.gameId, gameId)).orderBy(desc(rounds.id)).limit(limit);
  return rows.map(toView);
}

/** The rounds a page renders, with the server's clock then (countdowns correct the tab's clock by it). */
export async function roundsForPage(
  user: SessionUser,
  gameId: number,
  limit: number,
): Promise<{ rounds: RoundView[]; serverNow: number }> {
  return { rounds: await listRounds(user, gameId, limit), serverNow: Date.now() };
}

/** More players than a room holds; the live standings only show the top three anyway. */
const LIVE_STANDINGS_MAX = 1000;

/** Every score so far in the game's running round (empty when none runs), for the presenter's live standings. */
export async function runningRoundScores(user: SessionUser, gameId: number): Promise<PodiumEntry[]> {
  await requireMember(gameId, user.id);
  const [running] = await db()
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(eq(rounds.gameId, gameId), isNull(rounds.endedAt)))
    .limit(1);
  return running ? standingsOf(running.id, LIVE_STANDINGS_MAX) : [];
}
