// The presenter screen for a projector: members only (anyone else gets the game page's
// not-found, status 404 included: so no loading.tsx, whose streamed shell would answer 200 first),
// rendered from the same cursor-first read as the game page.
import type { Metadata } from "next";
import { recentClicksPerSecond } from "@/lib/games/click-history";
import { inviteCodeFor } from "@/lib/games/games";
import { roundsForPage, runningRoundScores } from "@/lib/games/rounds";
import { memberGame } from "../member-game";
import { PresenterView } from "./presenter-view";

export const metadata: Metadata = { title: "Presenter screen" };

export default async function PresentPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, game, since } = await memberGame(params);
  const { rounds, serverNow } = await roundsForPage(user, game.id, 1);
  const props = {
    me: user,
    game,
    since,
    inviteCode: await inviteCodeFor(user, game.id),
    latestRound: rounds[0],
    serverNow,
  };
  return (
    <PresenterView
      {...props}
      recentClicks={await recentClicksPerSecond(game.id, serverNow)}
      roundScores={await runningRoundScores(user, game.id)}
    />
  );
}
