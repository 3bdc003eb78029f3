// The game page: server-renders the game for members (404 for anyone else, the same page as a
// missing game) with the bus cursor taken before the reads, so replay fills any gap.
import type { Metadata } from "next";
import { recentActivity } from "@/lib/games/activity";
import { inviteCodeFor } from "@/lib/games/games";
import { roundsForPage } from "@/lib/games/rounds";
import { GameView } from "./game-view";
import { memberGame } from "./member-game";

export const metadata: Metadata = { title: "Game" };

const ROUNDS_SHOWN = 10;

export default async function GamePage({ params }: { params: Promise<{ id: string }> }) {
  const { user, game, since } = await memberGame(params);
  return (
    <GameView
      me={user}
      game={game}
      since={since}
      inviteCode={inviteCodeFor(user, game.id)}
      activity={recentActivity(game.id)}
      {...roundsForPage(user, game.id, ROUNDS_SHOWN)}
    />
  );
}
