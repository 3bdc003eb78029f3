// The game page: server-renders the game for members (404 for anyone else, the same page as a
// missing game) with the bus cursor taken before the reads, so replay fills any gap.
import type { Metadata } from "next";
import { recentActivity } from "@/lib/games/activity";
import { clickPace } from "@/lib/games/click-pace";
import { inviteCodeFor } from "@/lib/games/games";
import { roundsForPage } from "@/lib/games/rounds";
import { GameView } from "./game-view";
import { memberGame } from "./member-game";

export const metadata: Metadata = { title: "Game" };

const ROUNDS_SHOWN = 10;

export default async function GamePage({ params }: { params: Promise<{ id: string }> }) {
  const { user, game, since } = await memberGame(params);
  // One after the other, in the order the page always read them (all after the cursor).
  const inviteCode = await inviteCodeFor(user, game.id);
  const activity = await recentActivity(game.id);
  const rounds = await roundsForPage(user, game.id, ROUNDS_SHOWN);
  // The node's click budget now: the page spreads a room's start over it (lib/games/client/room-start.ts).
  const clickBudget = Math.round(clickPace().batchesPerSecond);
  return (
    <GameView
      me={user}
      game={game}
      since={since}
      inviteCode={inviteCode}
      activity={activity}
      clickBudget={clickBudget}
      {...rounds}
    />
  );
}
