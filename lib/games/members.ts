// Membership changes: invite by username, join by invite link, leave, and removal by the owner.
// Each one reaches the game's channel and the affected user's channel; a departure also
// revokes that user's sockets from the game channel at once.
import { and, eq } from "drizzle-orm";
import { engine } from "@/db/client";
import { games, members, users } from "@/db/tables";
import { findUserByUsername, type SessionUser } from "@/lib/auth/users";
import { gameChannel } from "@/lib/games/channels";
import { userChannel } from "@/lib/realtime/user-channel";
import { revokeUserFromChannel } from "@/lib/bus/revoke";
import { transact, type TransactionScope } from "@/lib/realtime/transact";
import { requireMember, requireOwner } from "./access";
import { recordActivity } from "./activity";
import { AppError, parseInput } from "@/lib/runtime/app-error";
import { gameNotFound } from "./access";
import { spendMutation } from "@/lib/runtime/mutation-rate";
import { parseGameId } from "./games";
import { inviteCodeSchema, inviteMemberSchema, userIdSchema } from "./schemas";

/**
 * Adds `user` as a player inside `scope` and announces it; false (and nothing done) when they are
 * a member already. The primary key decides, so two joins racing on two nodes add one member.
 */
export async function addMember(scope: TransactionScope, gameId: number, user: SessionUser): Promise<boolean> {
  // `for key share` on PostgreSQL: a deleteGame in flight (it locks the row `for update`) ends
  // before this read, which then finds no game, so no member joins a game being deleted unseen.
  const read = scope.tx
    .select({ name: games.name, total: games.total })
    .from(games)
    .where(eq(games.id, gameId))
    .limit(1)
    .$dynamic();
  const [game] = await (engine().dialect === "postgres" ? read.for("key share") : read);
  if (!game) throw gameNotFound();
  const added = await scope.tx
    .insert(members)
    .values({ gameId, userId: user.id, role: "player" })
    .onConflictDoNothing()
    .returning({ userId: members.userId });
  if (added.length === 0) return false;
  await recordActivity(scope, gameId, "joined", user.username);
  scope.announce(gameChannel(gameId), "member_joined", {
    member: { id: user.id, username: user.username },
    role: "player",
  });
  scope.announce(userChannel(user.id), "game_added", { gameId, name: game.name, total: game.total });
  return true;
}

export async function inviteMember(owner: SessionUser, gameIdInput: unknown, input: unknown): Promise<SessionUser> {
  const gameId = parseGameId(gameIdInput);
  await requireOwner(gameId, owner.id);
  const { username } = parseInput(inviteMemberSchema, input);
  const invitee = await findUserByUsername(username);
  if (!invitee) throw new AppError("not_found", `No player is called “${username}”.`);
  await spendMutation(owner.id);
  return transact(async (scope) => {
    if (!(await addMember(scope, gameId, invitee)))
      throw new AppError("conflict", `${invitee.username} is already in this game.`);
    return invitee;
  });
}

/** Joins the game behind an invite code; returns its id (also when already a member). */
export async function joinByInviteCode(user: SessionUser, codeInput: unknown): Promise<number> {
  const code = inviteCodeSchema.safeParse(codeInput);
  if (!code.success) throw new AppError("not_found", "This invite link is not valid any more.");
  return transact(async (scope) => {
    const [game] = await scope.tx.select({ id: games.id }).from(games).where(eq(games.inviteCode, code.data)).limit(1);
    if (!game) throw new AppError("not_found", "This invite link is not valid any more.");
    await addMember(scope, game.id, user);
    return game.id;
  });
}

/** Removes `userId` from the game: the owner removing a player, or a player leaving. */
export async function removeMember(actor: SessionUser, gameIdInput: unknown, userIdInput: unknown): Promise<void> {
  const gameId = parseGameId(gameIdInput);
  const actorRole = await requireMember(gameId, actor.id);
  const parsedUser = userIdSchema.safeParse(userIdInput);
  if (!parsedUser.success) throw new AppError("not_found", "That player is not in this game.");
  const userId = parsedUser.data;
  const leaving = userId === actor.id;
  if (!leaving && actorRole !== "owner") throw new AppError("forbidden", "Only the game's owner can remove players.");
  if (leaving && actorRole === "owner")
    throw new AppError("conflict", "The owner cannot leave; delete the game instead.");
  const reason = leaving ? "left" : "removed";
  await spendMutation(actor.id);

  await transact(async (scope) => {
    const [target] = await scope.tx
      .select({ username: users.username })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(and(eq(members.gameId, gameId), eq(members.userId, userId)))
      .limit(1);
    if (!target) throw new AppError("not_found", "That player is not in this game.");
    // The delete decides, not the read above: of two removals racing on two nodes, one deletes.
    const removed = await scope.tx
      .delete(members)
      .where(and(eq(members.gameId, gameId), eq(members.userId, userId)))
      .returning({ userId: members.userId });
    if (removed.length === 0) throw new AppError("not_found", "That player is not in this game.");
    // Revoke first, so the departing user's tabs receive nothing after this change.
    scope.afterCommit(() => revokeUserFromChannel(userId, gameChannel(gameId), reason));
    await recordActivity(scope, gameId, reason, target.username);
    scope.announce(gameChannel(gameId), "member_left", { member: { id: userId, username: target.username }, reason });
    scope.announce(userChannel(userId), "game_removed", { gameId, reason });
  });
}
