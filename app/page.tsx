// The lobby: my games with live totals, create a game, and live lobby stats.
import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/current-user";
import { busCursor } from "@/lib/bus/cursor";
import { listMyGames } from "@/lib/games/games";
import { CreateGameForm } from "./lobby/create-game-form";
import { LobbyStats } from "./lobby/lobby-stats";
import { MyGames } from "./lobby/my-games";

export const metadata: Metadata = { title: "Lobby" };

export default async function LobbyPage() {
  const user = await requireUser();
  const since = await busCursor();
  const games = await listMyGames(user.id);
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">Lobby</h1>
          <p className="text-slate-600">Pick a game, or start one and invite your friends.</p>
        </div>
        <LobbyStats />
      </div>
      <CreateGameForm />
      <MyGames me={user} initialGames={games} since={since} />
    </div>
  );
}
