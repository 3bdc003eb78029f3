"use client";
// Per-member contribution, with the owner's "Remove" and a member's own "Leave". A big room shows
// its first SHOWN players and your own row (a phone re-rendering a thousand rows ten times a
// second is slow, and a wall of names helps nobody); "Show all" lists everyone, for removals.
import { useState, useTransition } from "react";
import { leaveGameAction, removeMemberAction } from "@/app/actions/games";
import type { SessionUser } from "@/lib/auth/users";
import type { MemberView } from "@/lib/games/games";

type LeaderboardProps = { gameId: number; me: SessionUser; ownerId: number; members: MemberView[]; disabled: boolean };

const SHOWN = 20;

/** The rows to draw, each with its rank: the first SHOWN, and mine if I am further down. */
function visibleRows(members: MemberView[], meId: number, all: boolean): Array<{ member: MemberView; rank: number }> {
  const ranked = members.map((member, index) => ({ member, rank: index + 1 }));
  if (all || ranked.length <= SHOWN) return ranked;
  const mine = ranked.find((row) => row.member.id === meId && row.rank > SHOWN);
  return mine ? [...ranked.slice(0, SHOWN), mine] : ranked.slice(0, SHOWN);
}

export function Leaderboard({ gameId, me, ownerId, members, disabled }: LeaderboardProps) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const rows = visibleRows(members, me.id, all);
  const run = (work: () => Promise<{ ok: boolean; message?: string }>) =>
    startTransition(async () => {
      setError(null);
      const result = await work();
      if (!result.ok) setError(result.message ?? "That did not work.");
    });

  return (
    <section
      aria-labelledby="leaderboard-heading"
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h2 id="leaderboard-heading" className="mb-2 font-semibold">
        Leaderboard
      </h2>
      <ol aria-label="Leaderboard" className="space-y-2">
        {rows.map(({ member, rank }) => (
          <li key={member.id} className="flex items-center gap-2 text-sm">
            <span className="min-w-5 text-right tabular-nums text-slate-400">{rank}.</span>
            <span className="min-w-0 truncate font-medium">{member.username}</span>
            {member.id === ownerId ? (
              <span className="rounded bg-indigo-50 px-1.5 text-xs text-indigo-700">owner</span>
            ) : null}
            {/* An <output> (not a span) so the count can carry a name; aria-live off so screen
                readers do not announce every member's every click. */}
            <output className="ml-auto tabular-nums" aria-live="off" aria-label={`${member.username} clicks`}>
              {member.clicks.toLocaleString("en")}
            </output>
            {me.id === ownerId && member.id !== ownerId ? (
              <button
                type="button"
                disabled={pending || disabled}
                onClick={() => run(() => removeMemberAction(gameId, member.id))}
                className="rounded border border-rose-200 px-2 py-0.5 text-xs text-rose-700 hover:bg-rose-50 disabled:opacity-50"
                aria-label={`Remove ${member.username}`}
              >
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ol>
      {members.length > SHOWN ? (
        <button
          type="button"
          aria-expanded={all}
          onClick={() => setAll((shown) => !shown)}
          className="mt-3 text-sm text-indigo-700 underline"
        >
          {all ? `Show the first ${SHOWN}` : `Show all ${members.length.toLocaleString("en")}`}
        </button>
      ) : null}
      {me.id !== ownerId && !disabled ? (
        <button
          type="button"
          disabled={pending}
          onClick={() => run(() => leaveGameAction(gameId))}
          className="mt-4 w-full rounded-lg border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-50"
        >
          Leave game
        </button>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-rose-600">
          {error}
        </p>
      ) : null}
    </section>
  );
}
