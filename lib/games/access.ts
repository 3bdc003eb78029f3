// Authorization of game operations: a non-member gets "not found", a member who is not the
// owner gets "forbidden" for owner-only operations.
import type { MemberRole } from "@/db/schema";
import { GameError, notFound } from "./errors";
import { memberRole } from "./membership";

export function requireMember(gameId: number, userId: number): MemberRole {
  const role = memberRole(gameId, userId);
  if (!role) throw notFound();
  return role;
}

export function requireOwner(gameId: number, userId: number): void {
  if (requireMember(gameId, userId) !== "owner") throw new GameError("forbidden", "Only the game's owner can do that.");
}
