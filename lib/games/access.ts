// Authorization of game operations: a non-member gets "not found", a member who is not the
// owner gets "forbidden" for owner-only operations.
import type { MemberRole } from "@/db/schema";
import { AppError } from "@/lib/runtime/app-error";
import { memberRole } from "./membership";

/** The refusal for a game that is missing or not the caller's: the same answer for both. */
export const gameNotFound = () => new AppError("not_found", "Game not found.");

export async function requireMember(gameId: number, userId: number): Promise<MemberRole> {
  const role = await memberRole(gameId, userId);
  if (!role) throw gameNotFound();
  return role;
}

export async function requireOwner(gameId: number, userId: number): Promise<void> {
  if ((await requireMember(gameId, userId)) !== "owner")
    throw new AppError("forbidden", "Only the game's owner can do that.");
}
