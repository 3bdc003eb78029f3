// Who is here now: the whole count, one entry per player however many tabs they have, and at
// most SHOWN names (a keynote room of 2,000 would otherwise be a wall of names) then "and N more".
import type { PresenceState } from "@/lib/bus/presence-state";

export const SHOWN = 50;

export function PresenceList({ presence }: { presence: PresenceState }) {
  const shown = presence.players.slice(0, SHOWN);
  const more = Math.max(0, presence.count - shown.length);
  return (
    <section aria-labelledby="presence-heading" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="presence-heading" className="mb-2 font-semibold">
        Here now <span className="tabular-nums">({presence.count.toLocaleString("en")})</span>
      </h2>
      <ul aria-label="Here now" className="flex flex-wrap gap-2">
        {shown.map((player) => (
          <li
            key={player.id}
            className="flex max-w-full items-center gap-1 rounded-full bg-emerald-50 px-3 py-1 text-sm text-emerald-800"
          >
            <span aria-hidden className="h-2 w-2 shrink-0 rounded-full bg-emerald-500" />
            <span className="truncate">{player.username}</span>
          </li>
        ))}
      </ul>
      {more > 0 ? <p className="mt-2 text-sm text-slate-500">and {more.toLocaleString("en")} more</p> : null}
    </section>
  );
}
