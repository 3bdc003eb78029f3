"use client";
// A short celebration when the game passes a milestone.
import type { GameState } from "@/lib/games/client/game-state";

export function Milestone({ milestone }: { milestone: GameState["milestone"] }) {
  if (!milestone) return null;
  return (
    <p
      key={milestone.key}
      role="status"
      className="animate-[confetti_4s_ease-in-out_forwards] rounded-xl bg-gradient-to-r from-amber-200 via-pink-200 to-indigo-200 p-3 text-center font-bold text-slate-900"
    >
      🎉 {milestone.value.toLocaleString("en")} clicks! {milestone.by} hit the milestone.
    </p>
  );
}
