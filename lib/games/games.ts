// Games as records: create, rename, delete, and the reads behind the lobby, the game page and the API.
import { asc, count, desc, eq, inArray } from "drizzle-orm";
import { db, engine } from "@/db/client";
import { games, members, users } from "@/db/tables";
import type { MemberRole } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/users";
import { gameChannel } from "@/lib/games/channels";
import { userChannel } from "@/lib/realtime/user-channel";
import { revokeChannel } from "@/lib/bus/revoke";
import { transact } from "@/lib/realtime/transact";
import { gameNotFound, requireMember, requireOwner } from "./access";
import { recordActivity } from "./activity";
import { parseInput } from "@/lib/runtime/app-error";
import { spendMutation } from "@/lib/runtime/mutation-rate";
import { createGameSchema, gameIdSchema, renameGameSchema } from "./schemas";

export type GameSummary = { id: number; name: string; ownerId: number; total: number };
export type MemberView = { id: number; username: string; role: MemberRole; clicks: number };
export type GameDetails = GameSummary & { members: MemberView[] };
export type MyGame = GameSummary & { role: MemberRole; ownerName: string; memberCount: number };

export function parseGameId(input: unknown): number {
  const parsed = gameIdSchema.safeParse(input);
  // A malformed id is a game nobody can see: same answer as any other unknown id.
  if (!parsed.success) throw gameNotFound();
  return parsed.data;
}

export async function createGame(user: SessionUser, input: unknown): Promise<GameSummary> {
  const { name } = parseInput(createGameSchema, input);
  await spendMutation(user.id);
  return transact(async (scope) => {
    const [game] = await scope.tx.insert(games).values({ name, ownerId: user.id }).returning();
    if (!game) throw new Error("inserting a game returned no row");
    await scope.tx.insert(members).values({ gameId: game.id, userId: user.id, role: "owner" });
    await recordActivity(scope, game.id, "created", user.username, name);
    scope.announce(userChannel(user.id), "game_added", { gameId: game.id, name, total: 0 });
    return summary(game);
  });
}

function summary(game: typeof games.$inferSelect): GameSummary {
  return { id: game.id, name: game.name, ownerId: game.ownerId, total: game.total };
}

export async function renameGame(user: SessionUser, gameIdInput: unknown, input: unknown): Promise<GameSummary> {
  const gameId = parseGameId(gameIdInput);
  await requireOwner(gameId, user.id);
  const { name } = parseInput(renameGameSchema, input);
  await spendMutation(user.id);
  return transact(async (scope) => {
    const [game] = await scope.tx.update(games).set({ name }).where(eq(games.id, gameId)).returning();
    if (!game) throw gameNotFound();
    await recordActivity(scope, gameId, "renamed", user.username, name);
    scope.announce(gameChannel(gameId), "renamed", { name });
    return summary(game);
  });
}

export async function deleteGame(user: SessionUser, gameIdInput: unknown): Promise<void> {
  const gameId = parseGameId(gameIdInput);
  await requireOwner(gameId, user.id);
  await spendMutation(user.id);
  await transact(async (scope) => {
    // On PostgreSQL a join that commits between a read of the members and the delete would be
    // cut by the cascade but missing from the readers, so its sockets would keep the room. The
    // row lock orders the two (addMember reads the game `for key share`): a join in flight
    // commits first and is among the members deleted below; a later one finds no game.
    const game = scope.tx.select({ id: games.id }).from(games).where(eq(games.id, gameId)).$dynamic();
    const [found] = await (engine().dialect === "postgres" ? game.for("update") : game);
    if (!found) throw gameNotFound();
    const readers = (
      await scope.tx.delete(members).where(eq(members.gameId, gameId)).returning({ userId: members.userId })
    ).map(({ userId }) => userId);
    scope.announce(gameChannel(gameId), "deleted", {});
    for (const userId of readers) scope.announce(userChannel(userId), "game_removed", { gameId, reason: "deleted" });
    await scope.tx.delete(games).where(eq(games.id, gameId));
    scope.afterCommit(() => revokeChannel(gameChannel(gameId), "deleted", readers));
  });
}

export async function listMyGames(userId: number): Promise<MyGame[]> {
  const mine = await db()
    .select({
      id: games.id,
      name: games.name,
      ownerId: games.ownerId,
      total: games.total,
      role: members.role,
      ownerName: users.username,
    })
    .from(members)
    .innerJoin(games, eq(games.id, members.gameId))
    .innerJoin(users, eq(users.id, games.ownerId))
    .where(eq(members.userId, userId))
    .orderBy(desc(games.id));
  if (mine.length === 0) return [];
  const counted = await db()
    .select({ gameId: members.gameId, memberCount: count() })
    .from(members)
    .where(
      inArray(
        members.gameId,
        mine.map((game) => game.id),
      ),
    )
    .groupBy(members.gameId);
  const counts = new Map(counted.map((row) => [row.gameId, row.memberCount]));
  return mine.map((game) => ({ ...game, memberCount: counts.get(game.id) ?? 1 }));
}

export async function gameDetails(user: SessionUser, gameIdInput: unknown): Promise<GameDetails> {
  const gameId = parseGameId(gameIdInput);
  await requireMember(gameId, user.id);
  const [game] = await db().select().from(games).where(eq(games.id, gameId)).limit(1);
  if (!game) throw gameNotFound();
  const roster = await db()
    .select({ id: users.id, username: users.username, role: members.role, clicks: members.clicks })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.gameId, gameId))
    .orderBy(desc(members.clicks), asc(users.username));
  return { ...summary(game), members: roster };
}

/** The owner's invite code for the game page (null for other members or without a link). */
export async function inviteCodeFor(user: SessionUser, gameId: number): Promise<string | null> {
  const [game] = await db()
    .select({ ownerId: games.ownerId, inviteCode: games.inviteCode })
    .from(games)
    .where(eq(games.id, gameId))
    .limit(1);
  return game && game.ownerId === user.id ? game.inviteCode : null;
}
