// Live lobby statistics (aggregate only, nothing private): games, players online, clicks per
// second, sent as a volatile `stats` event on `lobby` while anyone is watching. Players online
// are counted across every node (one user with tabs on two nodes counts once).
import { count, gt, sum } from "drizzle-orm";
import { db } from "@/db/client";
import { clickBatches, games } from "@/db/tables";
import { LOBBY_CHANNEL } from "@/lib/games/channels";
import type { LobbyEvents } from "@/lib/games/channels";
import { busScope, busServer } from "@/lib/bus/io";
import { emitVolatile } from "@/lib/bus/emit";
import { log } from "@/lib/log";

const STATS_EVERY_MS = 2000;
const RATE_WINDOW_MS = 5000;

export async function lobbyStats(): Promise<LobbyEvents["stats"]> {
  const since = new Date(Date.now() - RATE_WINDOW_MS);
  const [gameCount] = await db().select({ value: count() }).from(games);
  // sum() reads as a string (PostgreSQL's numeric, and null without rows): Number() below.
  const [recent] = await db()
    .select({ value: sum(clickBatches.count) })
    .from(clickBatches)
    .where(gt(clickBatches.createdAt, since));
  const sockets = (await busScope()?.fetchSockets()) ?? [];
  const online = new Set(sockets.map((socket) => socket.data.user.id));
  return {
    games: gameCount?.value ?? 0,
    playersOnline: online.size,
    clicksPerSecond: Math.round((Number(recent?.value ?? 0) / RATE_WINDOW_MS) * 10000) / 10,
  };
}

/** Starts the periodic stats broadcast; returns a function that stops it. */
export function startLobbyStats(): () => void {
  const timer = setInterval(() => {
    const io = busServer();
    if (!io || (io.sockets.adapter.rooms.get(LOBBY_CHANNEL)?.size ?? 0) === 0) return;
    lobbyStats()
      // Every node sends its own lobby watchers the same cluster-wide figures.
      .then((stats) => emitVolatile(LOBBY_CHANNEL, "stats", stats, { localOnly: true }))
      .catch((error: unknown) => log.warn({ err: error }, "lobby stats failed"));
  }, STATS_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
