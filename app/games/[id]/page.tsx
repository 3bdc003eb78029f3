// The game page: server-renders the game for members (404 for anyone else, the same page as a
// missing game) with the bus cursor taken before the reads, so replay fills any gap.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/current-user";
import { busCursor } from "@/lib/bus/cursor";
import { recentActivity } from "@/lib/games/activity";
import { GameError } from "@/lib/games/errors";
import { gameDetails, inviteCodeFor, type GameDetails } from "@/lib/games/games";
import { GameView } from "./game-view";

export const metadata: Metadata = { title: "Game" };

export default async function GamePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const since = busCursor();
  let game: GameDetails;
  try {
    game = gameDetails(user, id);
  } catch (error) {
    if (error instanceof GameError && error.code === "not_found") notFound();
    throw error;
  }
  return <GameView me={user} game={game} since={since} inviteCode={inviteCodeFor(user, game.id)} activity={recentActivity(game.id)} />;
}
