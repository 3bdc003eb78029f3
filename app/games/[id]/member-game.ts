// What the game page and the presenter screen both start from: the signed-in member, the game,
// and the bus cursor taken before the reads (so replay fills any gap). Anyone who may not see the
// game gets the same not-found as for a missing one.
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/current-user";
import type { SessionUser } from "@/lib/auth/users";
import { busCursor } from "@/lib/bus/cursor";
import { AppError } from "@/lib/runtime/app-error";
import { gameDetails, type GameDetails } from "@/lib/games/games";

export async function memberGame(
  params: Promise<{ id: string }>,
): Promise<{ user: SessionUser; game: GameDetails; since: number }> {
  const user = await requireUser();
  const { id } = await params;
  const since = await busCursor();
  try {
    return { user, game: await gameDetails(user, id), since };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}
