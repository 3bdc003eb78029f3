// Who is here now: one entry per player however many tabs they have open.
import type { PlayerRef } from "@/lib/games/channels";

export function PresenceList({ players }: { players: PlayerRef[] }) {
  return (
    <section aria-labelledby="presence-heading" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="presence-heading" className="mb-2 font-semibold">
        Here now ({players.length})
      </h2>
      <ul aria-label="Here now" className="flex flex-wrap gap-2">
        {players.map((player) => (
          <li key={player.id} className="flex items-center gap-1 rounded-full bg-emerald-50 px-3 py-1 text-sm text-emerald-800">
            <span aria-hidden className="h-2 w-2 rounded-full bg-emerald-500" />
            {player.username}
          </li>
        ))}
      </ul>
    </section>
  );
}
