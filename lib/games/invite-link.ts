// The owner's shareable invite link: create or regenerate (old links stop working), or revoke;
// and what an invite link shows before anyone joins through it.
import { count, eq } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { db } from "@/db/client";
import { games, members, users } from "@/db/tables";
import type { SessionUser } from "@/lib/auth/users";
import { gameChannel } from "@/lib/games/channels";
import { transact } from "@/lib/realtime/transact";
import { requireOwner } from "./access";
import { spendMutation } from "@/lib/runtime/mutation-rate";
import { parseGameId } from "./games";
import { inviteCodeSchema } from "./schemas";

async function setInviteCode(owner: SessionUser, gameIdInput: unknown, code: string | null): Promise<string | null> {
  const gameId = parseGameId(gameIdInput);
  await requireOwner(gameId, owner.id);
  await spendMutation(owner.id);
  return transact(async ({ tx, announce }) => {
    await tx.update(games).set({ inviteCode: code }).where(eq(games.id, gameId));
    announce(gameChannel(gameId), "invite_link_changed", {});
    return code;
  });
}

export const regenerateInviteLink = (owner: SessionUser, gameId: unknown): Promise<string | null> =>
  setInviteCode(owner, gameId, randomBytes(18).toString("base64url"));
export async function revokeInviteLink(owner: SessionUser, gameId: unknown): Promise<void> {
  await setInviteCode(owner, gameId, null);
}

export type InvitePreview = { gameId: number; name: string; ownerName: string; memberCount: number };

/**
 * The game behind an invite code, as the join page shows it, or null for a malformed, revoked
 * or unknown code. The code is the secret: whoever holds it may see the game's name.
 */
export async function invitePreview(codeInput: unknown): Promise<InvitePreview | null> {
  const code = inviteCodeSchema.safeParse(codeInput);
  if (!code.success) return null;
  const [game] = await db()
    .select({ gameId: games.id, name: games.name, ownerName: users.username })
    .from(games)
    .innerJoin(users, eq(users.id, games.ownerId))
    .where(eq(games.inviteCode, code.data))
    .limit(1);
  if (!game) return null;
  const [counted] = await db().select({ value: count() }).from(members).where(eq(members.gameId, game.gameId));
  return { ...game, memberCount: counted?.value ?? 0 };
}
