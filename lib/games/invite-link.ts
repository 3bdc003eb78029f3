// The owner's shareable invite link: create or regenerate (old links stop working), or revoke.
import { eq } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { games } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/users";
import { gameChannel } from "@/lib/games/channels";
import { transact } from "@/lib/bus/transact";
import { requireOwner } from "./access";
import { parseGameId } from "./games";

function setInviteCode(owner: SessionUser, gameIdInput: unknown, code: string | null): string | null {
  const gameId = parseGameId(gameIdInput);
  requireOwner(gameId, owner.id);
  return transact(({ tx, announce }) => {
    tx.update(games).set({ inviteCode: code }).where(eq(games.id, gameId)).run();
    announce(gameChannel(gameId), "invite_link_changed", {});
    return code;
  });
}

export const regenerateInviteLink = (owner: SessionUser, gameId: unknown): string | null => setInviteCode(owner, gameId, randomBytes(18).toString("base64url"));
export const revokeInviteLink = (owner: SessionUser, gameId: unknown): void => void setInviteCode(owner, gameId, null);
