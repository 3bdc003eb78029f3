"use client";
// My games, live: added and removed through my user channel, totals and names through each
// game's channel (followed with presence off, so the lobby does not count as "here").
import Link from "next/link";
import { useState } from "react";
import { gameChannel } from "@/lib/games/channels";
import { userChannel } from "@/lib/realtime/user-channel";
import { useBusChannel } from "@/lib/bus/client/hooks";
import type { SessionUser } from "@/lib/auth/users";
import type { MyGame } from "@/lib/games/games";

type LobbyGame = Pick<MyGame, "id" | "name" | "total"> & { ownerName?: string; since: number };

function GameCard({ game, onGone }: { game: LobbyGame; onGone: (id: number) => void }) {
  const [live, setLive] = useState({ name: game.name, total: game.total });
  useBusChannel(
    gameChannel(game.id),
    (notification) => {
      if (notification.event === "tally")
        setLive((current) => ({ ...current, total: Math.max(current.total, notification.payload.total) }));
      if (notification.event === "renamed") setLive((current) => ({ ...current, name: notification.payload.name }));
      if (notification.event === "deleted") onGone(game.id);
    },
    { since: game.since, presence: false },
  );
  return (
    <li>
      <Link
        href={`/games/${game.id}`}
        className="flex items-center justify-between gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm transition hover:border-indigo-300 hover:shadow focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <span>
          <span className="block font-semibold">{live.name}</span>
          {game.ownerName ? <span className="text-sm text-slate-500">by {game.ownerName}</span> : null}
        </span>
        <span className="text-right">
          <span className="block text-2xl font-black tabular-nums">{live.total.toLocaleString("en")}</span>
          <span className="text-xs text-slate-500">clicks</span>
        </span>
      </Link>
    </li>
  );
}

export function MyGames({ me, initialGames, since }: { me: SessionUser; initialGames: MyGame[]; since: number }) {
  const [games, setGames] = useState<LobbyGame[]>(() => initialGames.map((game) => ({ ...game, since })));
  const remove = (id: number) => setGames((current) => current.filter((game) => game.id !== id));
  useBusChannel(
    userChannel(me.id),
    (notification) => {
      if (notification.event === "game_added") {
        const { gameId, name, total } = notification.payload;
        setGames((current) =>
          current.some((game) => game.id === gameId)
            ? current
            : [{ id: gameId, name, total, since: notification.id ?? since }, ...current],
        );
      }
      if (notification.event === "game_removed") remove(notification.payload.gameId);
    },
    { since },
  );

  return (
    <section aria-labelledby="my-games-heading">
      <h2 id="my-games-heading" className="mb-3 text-lg font-semibold">
        My games
      </h2>
      {games.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-slate-500">
          No games yet. Create one above, or ask a friend to invite you.
        </p>
      ) : (
        <ul aria-label="My games" className="grid gap-3 sm:grid-cols-2">
          {games.map((game) => (
            <GameCard key={game.id} game={game} onGone={remove} />
          ))}
        </ul>
      )}
    </section>
  );
}
