// The presenter screen for a projector: members only (anyone else gets the game page's
// not-found), rendered with the bus cursor taken before the reads, like the game page.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { db } from "@/db/client";
import { requireUser } from "@/lib/auth/current-user";
import { latestNotificationId } from "@/lib/bus/store";
import { recentClicksPerSecond } from "@/lib/games/click-history";
import { GameError } from "@/lib/games/errors";
import { gameDetails, inviteCodeFor, type GameDetails } from "@/lib/games/games";
import { roundsForPage } from "@/lib/games/rounds";
import { PresenterView } from "./presenter-view";

export const metadata: Metadata = { title: "Presenter screen" };

export default async function PresentPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const since = latestNotificationId(db());
  let game: GameDetails;
  try {
    game = gameDetails(user, id);
  } catch (error) {
    if (error instanceof GameError && error.code === "not_found") notFound();
    throw error;
  }
  const { rounds, serverNow } = roundsForPage(user, game.id, 1);
  return (
    <PresenterView
      me={user}
      game={game}
      since={since}
      inviteCode={inviteCodeFor(user, game.id)}
      latestRound={rounds[0]}
      serverNow={serverNow}
      recentClicks={recentClicksPerSecond(game.id, serverNow)}
    />
  );
}
