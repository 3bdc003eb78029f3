"use client";
// Live aggregate stats from the `lobby` channel (nothing private).
import { useState } from "react";
import { LOBBY_CHANNEL } from "@/lib/games/channels";
import type { LobbyEvents } from "@/lib/games/channels";
import { useBusChannel } from "@/lib/bus/client/hooks";

export function LobbyStats() {
  const [stats, setStats] = useState<LobbyEvents["stats"] | null>(null);
  useBusChannel(LOBBY_CHANNEL, (notification) => setStats(notification.payload));
  const items: [string, string][] = stats
    ? [
        ["Games", stats.games.toLocaleString("en")],
        ["Players online", stats.playersOnline.toLocaleString("en")],
        ["Clicks / s", stats.clicksPerSecond.toLocaleString("en")],
      ]
    : [];
  return (
    <section aria-label="Lobby stats" className="flex gap-4 rounded-xl bg-indigo-50 px-4 py-2 text-sm text-indigo-900">
      {stats ? (
        items.map(([label, value]) => (
          <p key={label}>
            <span className="block text-xs uppercase tracking-wide text-indigo-600">{label}</span>
            <strong className="text-lg tabular-nums">{value}</strong>
          </p>
        ))
      ) : (
        <p className="py-2 text-indigo-700">Loading live stats…</p>
      )}
    </section>
  );
}
